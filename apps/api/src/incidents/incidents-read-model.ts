import type { IncidentView, StoredEvent } from '@vigil/shared';

/**
 * What the incident pages read, as a port: the live server answers from the log,
 * a review server from an exported bundle, with the same controllers.
 */
export abstract class IncidentsReadModel {
  abstract list(): IncidentView[];
  abstract incident(incidentId: string): IncidentView | undefined;
  /** The log's events with from < time <= to, in position order. */
  abstract windowEvents(from: Date, to: Date): AsyncIterable<StoredEvent>;
  /** The stream.opened events of live streams still open at `at`. */
  abstract openStreamsAt(at: Date): Promise<StoredEvent[]>;
  /** The log's last position and its hash (the chain head a postmortem cites). */
  abstract head(): Promise<{ position: number; hash: string }>;
  /** Now, for a live server; the window's end for a bundle. */
  abstract now(): number;
}
