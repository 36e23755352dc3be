import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';

/** botbuilder's TestAdapter, also keeping every message update the bot makes (as Teams would). */
export class RecordingTestAdapter extends TestAdapter {
  readonly updates: Partial<Activity>[] = [];

  override async updateActivity(context: TurnContext, activity: Partial<Activity>) {
    this.updates.push(activity);
    return super.updateActivity(context, activity);
  }

  /** Processes one activity and returns everything the bot sent back (replies, invoke answers). */
  async exchange(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    this.activeQueue.splice(0);
    await this.processActivity(activity);
    return this.activeQueue.splice(0);
  }
}
