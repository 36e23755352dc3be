export {
  InProcessDomainEvents,
  type DomainEvent,
  type DomainEventHandler,
  type DomainEventOf,
  type DomainEvents,
  type DomainEventType,
  type SubscribeOptions,
} from './domain-events';
