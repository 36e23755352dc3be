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
  openActionForm: 'action.openForm',
  submitAction: 'action.submit',
  completeTask: 'task.done',
  addTaskNote: 'task.addNote',
  showHistory: 'chronology.show',
  moreHistory: 'chronology.more',
} as const;
