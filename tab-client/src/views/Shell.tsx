import { Badge, Button, Switch, Text, tokens } from '@fluentui/react-components';
import type { ApiClient } from '../api-client';
import { NO_FILTER, type Me } from '../api-types';
import type { Route } from '../route';
import { ChronologyView } from './ChronologyView';
import { DeskView } from './DeskView';
import { ExportView } from './ExportView';
import { PupilSearch } from './PupilSearch';
import { RecordView } from './RecordView';
import { SarRegisterView } from './SarRegisterView';
import { SarRequestView } from './SarRequestView';
import { SarReviewView } from './SarReviewView';

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
        <Button appearance="primary" onClick={props.onBlank}>
          Blank screen
        </Button>
      </header>
      <main style={{ padding: 16 }}>
        {route.view === 'search' && (
          <>
            <PupilSearch
              api={api}
              onOpen={(pupilId) => navigate({ view: 'pupil', pupilId, filter: NO_FILTER })}
            />
            <DeskView
              api={api}
              onOpenRecord={(incidentId) => navigate({ view: 'record', incidentId, back: route })}
              onOpenSar={(sarId) => navigate({ view: 'sar', sarId })}
            />
            {props.me.isSafeguardingTeam && (
              <Button onClick={() => navigate({ view: 'sars' })}>Subject access requests</Button>
            )}
          </>
        )}
        {route.view === 'sars' && (
          <SarRegisterView
            api={api}
            onOpen={(sarId) => navigate({ view: 'sar', sarId })}
            onBack={() => navigate({ view: 'search' })}
          />
        )}
        {route.view === 'sar' && (
          <SarRequestView
            api={api}
            sarId={route.sarId}
            onReview={() => navigate({ view: 'sar-review', sarId: route.sarId })}
            onBack={() => navigate({ view: 'sars' })}
          />
        )}
        {route.view === 'sar-review' && (
          <SarReviewView
            api={api}
            sarId={route.sarId}
            onBack={() => navigate({ view: 'sar', sarId: route.sarId })}
          />
        )}
        {route.view === 'pupil' && (
          <ChronologyView
            api={api}
            pupilId={route.pupilId}
            filter={route.filter}
            onFilter={(filter) => navigate({ ...route, filter })}
            onBack={() => navigate({ view: 'search' })}
            onOpenRecord={(incidentId) => navigate({ view: 'record', incidentId, back: route })}
            onExport={() =>
              navigate({ view: 'export', pupilId: route.pupilId, filter: route.filter })
            }
            isTeam={props.me.isSafeguardingTeam}
          />
        )}
        {route.view === 'record' && (
          <RecordView
            api={api}
            incidentId={route.incidentId}
            isTeam={props.me.isSafeguardingTeam}
            onBack={() => navigate(route.back ?? { view: 'search' })}
          />
        )}
        {route.view === 'export' && (
          <ExportView
            api={api}
            pupilId={route.pupilId}
            filter={route.filter}
            onBack={() => navigate({ view: 'pupil', pupilId: route.pupilId, filter: route.filter })}
          />
        )}
      </main>
    </div>
  );
}
