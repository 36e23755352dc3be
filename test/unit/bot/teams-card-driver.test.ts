import { renderCard } from '../../../src/bot/render-card';
import { incidentFormValuesSchema } from '../../../src/incidents';
import { prepareAction, TeamsWouldRefuse } from '../../support/teams-card-driver';

// The test clients press buttons through this driver; it must refuse what Teams refuses, or an
// end-to-end test could pass on a flow that is dead in Teams.
const card = {
  type: 'AdaptiveCard',
  version: '1.5',
  body: [
    { type: 'Input.Text', id: 'facts', isRequired: true, errorMessage: 'Describe what happened.' },
    { type: 'Input.Text', id: 'note', maxLength: 5 },
    {
      type: 'Input.ChoiceSet',
      id: 'kind',
      value: 'note',
      choices: [
        { title: 'Note', value: 'note' },
        { title: 'Call', value: 'call' },
      ],
    },
    { type: 'Input.Date', id: 'day', value: '2026-11-23', max: '2026-11-23' },
    {
      type: 'ActionSet',
      actions: [
        { type: 'Action.Execute', title: 'Search', verb: 'search', data: { id: 'd' } },
        {
          type: 'Action.Execute',
          title: 'Cancel',
          verb: 'cancel',
          associatedInputs: 'none',
          data: { id: 'd' },
        },
      ],
    },
  ],
};

describe('pressing a card button as Teams would', () => {
  it('when a required input is empty, then nothing is sent and its message is given', () => {
    expect(() => prepareAction(card, { verb: 'search' })).toThrow(TeamsWouldRefuse);
    expect(() => prepareAction(card, { verb: 'search' })).toThrow('Describe what happened.');
  });

  it('when a choice is not one of the list, or text is too long, or a date is past its max, then it is refused', () => {
    const refused: Record<string, string>[] = [
      { kind: 'meeting' },
      { note: 'too long' },
      { day: '2026-11-24' },
    ];
    for (const typed of refused) {
      expect(() => prepareAction(card, { verb: 'search' }, { facts: 'x', ...typed })).toThrow(
        TeamsWouldRefuse,
      );
    }
  });

  it('when every input is acceptable, then the data is the action data with the card values and what was typed', () => {
    expect(prepareAction(card, { verb: 'search' }, { facts: 'Seen crying' })).toEqual({
      verb: 'search',
      title: 'Search',
      data: { id: 'd', facts: 'Seen crying', kind: 'note', day: '2026-11-23' },
    });
  });

  it('when the action has associatedInputs none, then it is sent with no inputs and nothing is checked', () => {
    expect(prepareAction(card, { verb: 'cancel' }).data).toEqual({ id: 'd' });
  });

  it('when the incident form is fresh, then Save and finish later and Search reach the bot (no required input is empty)', () => {
    const empty = Object.fromEntries(
      [...Object.keys(incidentFormValuesSchema.shape), 'form'].map((k) => [k, '']),
    );
    const form = renderCard('incidents/incident-form', {
      draftId: 'd',
      banner: '',
      searchNote: '',
      maxDate: '2026-11-23',
      teamNote: '',
      showBodyMap: false,
      values: { ...empty, happenedDate: '2026-11-23', happenedTime: '10:00' },
      errors: empty,
      pupilChoices: [{ title: 'x', value: 'none' }],
      categoryChoices: [{ title: 'x', value: 'none' }],
      agencyChoices: [{ title: 'x', value: 'none' }],
      staffChoices: [{ title: 'x', value: 'none' }],
      roleChoices: [{ title: 'x', value: 'none' }],
      regionChoices: [{ title: 'x', value: 'none' }],
      sideChoices: [{ title: 'x', value: 'none' }],
      lateralityChoices: [{ title: 'x', value: 'none' }],
      linkedRows: [],
      bodyRows: [],
    });
    for (const verb of ['incident.saveDraft', 'incident.searchPupils']) {
      expect(prepareAction(form, { verb }).verb).toBe(verb);
    }
  });
});
