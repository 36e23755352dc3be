import { DeskService, type DeskSources } from './desk.service';

/** The desk reads other features' queries only: it stores nothing of its own. */
export function createDeskModule(sources: DeskSources) {
  return { desk: new DeskService(sources) };
}
