import type { ReplayInfo } from '@vigil/shared';

export const liveInfo = (): ReplayInfo => ({ mode: 'live', from: '2026-01-01T11:00:00.000Z', to: '2026-01-01T12:00:00.000Z' });

export const reviewInfo = (): ReplayInfo => ({
  mode: 'review',
  from: '2026-01-01T11:50:00.000Z',
  to: '2026-01-01T12:10:00.000Z',
  bundle: { file: 'incident-42.ndjson', createdAt: '2026-01-01T13:00:00.000Z', events: 120, samples: 2400 },
});
