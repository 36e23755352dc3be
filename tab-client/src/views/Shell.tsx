import { Badge, Button, Switch, Text, tokens } from '@fluentui/react-components';
import type { ApiClient } from '../api-client';
import { CASE_MANAGER_ROLES, NO_FILTER, type Me } from '../api-types';
import type { Route } from '../route';
import { ChronologyView } from './ChronologyView';
import { DeskView } from './DeskView';
import { ExportView } from './ExportView';
import { PupilSearch } from './PupilSearch';
import { RecordView } from './RecordView';
import { AdultConcernsView } from './AdultConcernsView';
import { AdultConcernView } from './AdultConcernView';
import { ReportsView } from './ReportsView';

// For what to show only: the server decides from the roles in our directory.
const GOVERNOR_ROLES = ['governor', 'chair-of-governors'];
const REPORT_ROLES = ['dsl', 'deputy-dsl', 'safeguarding-team', 'slt', 'head', ...GOVERNOR_ROLES];
import { SarRegisterView } from './SarRegisterView';
import { SarRequestView } from './SarRequestView';
import { SarReviewView } from './SarReviewView';
import { TransferImport } from './TransferImport';
import { TransferredRecordView } from './TransferredRecordView';
import { RetentionView } from './RetentionView';

/** The signed-in frame: who and where, the blank button, then the current view. */
export function Shell(props: {
  api: ApiClient;
  me: Me;
  development: boolean;
  simulateStepUp: boolean;
  onSimulateStepUp: (on: boolean) => void;
  route: Route;
  navigate: (route: Route) => void;
  onBlank: () => void;
}) {
  const { api, route, navigate } = props;
  const roles = props.me.roles;
  // A governor (and nothing else) gets a home of reports only: no pupil search, no desk.
  const governorOnly = roles.length > 0 && roles.every((r) => GOVERNOR_ROLES.includes(r));
  const seesReports = roles.some((r) => REPORT_ROLES.includes(r));
  // The chair of governors is also the case manager when a concern is about the head.
  const onAdultConcerns = route.view === 'adult-concerns' || route.view === 'adult-concern';
  return (
    <div>
      <header
        className="no-print"
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: 12,
          alignItems: 'center',
          padding: '8px 16px',
          borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
          background: tokens.colorNeutralBackground2,
        }}
      >
        <Text weight="semibold">{props.me.schoolName || 'Safeguarding records'}</Text>
        <Text>
          Signed in as {props.me.displayName}
          {props.me.isSafeguardingTeam ? ' (safeguarding team)' : ''}
        </Text>
        {props.development && (
          <>
            <Badge color="danger" appearance="filled">
              DEVELOPMENT
            </Badge>
            <Switch
              label="Simulate step-up"
              checked={props.simulateStepUp}
              onChange={(_, data) => props.onSimulateStepUp(data.checked)}
            />
          </>
        )}
        <span style={{ flex: 1 }} />
        {props.me.roles.some((r) => CASE_MANAGER_ROLES.includes(r)) && (
          <Button onClick={() => navigate({ view: 'adult-concerns' })}>
            Concerns about adults
          </Button>
        )}
        {seesReports && !governorOnly && route.view !== 'reports' && (
          <Button onClick={() => navigate({ view: 'reports' })}>Reports</Button>
        )}
        <Button appearance="primary" onClick={props.onBlank}>
          Blank screen
        </Button>
      </header>
      <main style={{ padding: 16 }}>
        {governorOnly && !onAdultConcerns && <ReportsView api={api} />}
        {!governorOnly && route.view === 'reports' && (
          <ReportsView api={api} onBack={() => navigate({ view: 'search' })} />
        )}
        {!governorOnly && route.view === 'search' && (
          <>
            <PupilSearch
              api={api}
              onOpen={(pupilId) => navigate({ view: 'pupil', pupilId, filter: NO_FILTER })}
            />
            <DeskView
              api={api}
              onOpenRecord={(incidentId) => navigate({ view: 'record', incidentId, back: route })}
              onOpenSar={(sarId) => navigate({ view: 'sar', sarId })}
              onOpenRetention={() => navigate({ view: 'retention' })}
            />
            {props.me.isSafeguardingTeam && (
              <Button onClick={() => navigate({ view: 'sars' })}>Subject access requests</Button>
            )}
            {props.me.isSafeguardingTeam && (
              <Button onClick={() => navigate({ view: 'transfer-import' })}>
                Import a file from another school
              </Button>
            )}
            {props.me.isSafeguardingTeam && (
              <Button onClick={() => navigate({ view: 'retention' })}>
                Retention and legal holds
              </Button>
            )}
          </>
        )}
        {!governorOnly && route.view === 'sars' && (
          <SarRegisterView
            api={api}
            onOpen={(sarId) => navigate({ view: 'sar', sarId })}
            onBack={() => navigate({ view: 'search' })}
          />
        )}
        {!governorOnly && route.view === 'sar' && (
          <SarRequestView
            api={api}
            sarId={route.sarId}
            onReview={() => navigate({ view: 'sar-review', sarId: route.sarId })}
            onBack={() => navigate({ view: 'sars' })}
          />
        )}
        {!governorOnly && route.view === 'sar-review' && (
          <SarReviewView
            api={api}
            sarId={route.sarId}
            onBack={() => navigate({ view: 'sar', sarId: route.sarId })}
          />
        )}
        {!governorOnly && route.view === 'pupil' && (
          <ChronologyView
            api={api}
            pupilId={route.pupilId}
            filter={route.filter}
            onFilter={(filter) => navigate({ ...route, filter })}
            onBack={() => navigate({ view: 'search' })}
            onOpenRecord={(incidentId) => navigate({ view: 'record', incidentId, back: route })}
            onOpenTransferred={(link) =>
              navigate({ view: 'transferred-record', ...link, back: route })
            }
            onExport={() =>
              navigate({ view: 'export', pupilId: route.pupilId, filter: route.filter })
            }
            isTeam={props.me.isSafeguardingTeam}
          />
        )}
        {!governorOnly && route.view === 'record' && (
          <RecordView
            api={api}
            incidentId={route.incidentId}
            isTeam={props.me.isSafeguardingTeam}
            onBack={() => navigate(route.back ?? { view: 'search' })}
          />
        )}
        {!governorOnly && route.view === 'export' && (
          <ExportView
            api={api}
            pupilId={route.pupilId}
            filter={route.filter}
            onBack={() => navigate({ view: 'pupil', pupilId: route.pupilId, filter: route.filter })}
          />
        )}
        {!governorOnly && route.view === 'transfer-import' && (
          <TransferImport
            api={api}
            onBack={() => navigate({ view: 'search' })}
            onOpenPupil={(pupilId) => navigate({ view: 'pupil', pupilId, filter: NO_FILTER })}
          />
        )}
        {!governorOnly && route.view === 'transferred-record' && (
          <TransferredRecordView
            api={api}
            packageId={route.packageId}
            incidentId={route.incidentId}
            onBack={() => navigate(route.back ?? { view: 'search' })}
          />
        )}
        {!governorOnly && route.view === 'retention' && (
          <RetentionView api={api} onBack={() => navigate({ view: 'search' })} />
        )}
        {route.view === 'adult-concerns' && (
          <AdultConcernsView
            api={api}
            onOpen={(concernId) => navigate({ view: 'adult-concern', concernId })}
            onBack={() => navigate({ view: 'search' })}
          />
        )}
        {route.view === 'adult-concern' && (
          <AdultConcernView
            api={api}
            concernId={route.concernId}
            onBack={() => navigate({ view: 'adult-concerns' })}
          />
        )}
      </main>
    </div>
  );
}
