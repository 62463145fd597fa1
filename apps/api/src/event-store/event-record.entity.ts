import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row of the event log. `data` and `meta` hold canonical JSON text, the
 * exact bytes the hash was computed over. `environment` is copied out of meta
 * so stream filters can skip rows without parsing them.
 */
@Entity({ name: 'events' })
@Index('events_stream_version', ['stream', 'version'], { unique: true })
@Index('events_type', ['type'])
export class EventRecord {
  @PrimaryColumn({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  stream!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text', nullable: true })
  environment!: string | null;

  @Column({ type: 'text' })
  data!: string;

  @Column({ type: 'text' })
  meta!: string;

  @Column({ type: 'text' })
  time!: string;

  @Column({ type: 'text' })
  hash!: string;
}
