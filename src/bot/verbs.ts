/** Action.Execute verbs the bot's cards use; cards/ templates spell the same strings. */
export const VERBS = {
  submitIncident: 'incident.submit',
  searchPupils: 'incident.searchPupils',
  findPupil: 'incident.findPupil',
  choosePupil: 'incident.choosePupil',
  saveDraft: 'incident.saveDraft',
  resumeDraft: 'incident.resumeDraft',
  newForm: 'incident.newForm',
  acknowledgeAlert: 'alert.acknowledge',
  /** Teams asks for an alert card's current state when it shows it (the card's refresh). */
  refreshAlert: 'alert.refresh',
  openActionForm: 'action.openForm',
  submitAction: 'action.submit',
  completeTask: 'task.done',
  addTaskNote: 'task.addNote',
  showHistory: 'chronology.show',
  moreHistory: 'chronology.more',
  submitAdultConcern: 'adultConcern.submit',
  saveAdultConcernDraft: 'adultConcern.saveDraft',
  resumeAdultConcern: 'adultConcern.resume',
  newAdultConcernForm: 'adultConcern.newForm',
  acknowledgeAdultConcern: 'adultConcern.acknowledge',
} as const;
