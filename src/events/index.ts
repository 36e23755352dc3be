export { InProcessDomainEvents, type DomainEvent, type DomainEvents } from './domain-events';
