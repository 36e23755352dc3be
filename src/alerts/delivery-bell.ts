/**
 * Rung by the alerts feature when it has put new alerts in the outbox; the delivery worker listens
 * while it runs and takes a look at once. Nobody outside alerts/ wakes the worker for new alerts.
 */
export class DeliveryBell {
  private readonly listeners = new Set<() => void>();

  ring(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Listens until the returned function is called. */
  onRing(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
