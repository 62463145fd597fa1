import { foldIncident, type IncidentView, type StoredEvent } from '@vigil/shared';
import type { IncidentBundle } from '../incident/bundle-reader';
import { IncidentsReadModel } from '../incidents/incidents-read-model';

/** The incident pages of a review server: the bundle's incident, its window's events, its head at export. */
export class BundleIncidents extends IncidentsReadModel {
  private readonly view: IncidentView | undefined;

  constructor(private readonly bundle: IncidentBundle) {
    super();
    this.view = bundle.incident ? foldIncident(bundle.incident.events) : undefined;
  }

  list(): IncidentView[] {
    return this.view ? [this.view] : [];
  }

  incident(incidentId: string): IncidentView | undefined {
    return this.view?.incidentId === incidentId ? this.view : undefined;
  }

  async *windowEvents(from: Date, to: Date): AsyncIterable<StoredEvent> {
    const [start, end] = [from.getTime(), to.getTime()];
    for (const item of this.bundle.items) {
      if (item.kind !== 'event') continue;
      const time = Date.parse(item.event.time);
      if (time > start && time <= end) yield await Promise.resolve(item.event);
    }
  }

  openStreamsAt(): Promise<StoredEvent[]> {
    return Promise.resolve(this.bundle.incident?.openStreams ?? []);
  }

  head(): Promise<{ position: number; hash: string }> {
    return Promise.resolve(this.bundle.incident?.head ?? { position: 0, hash: '' });
  }

  /** The window's end: an open incident is as long as it had lasted at export. */
  now(): number {
    return Date.parse(this.bundle.header.to);
  }
}
