import { kioskRequested } from './kiosk.service';

describe('kioskRequested', () => {
  it.each([
    ['/?kiosk=1', true],
    ['/services?kiosk=1&x=2', true],
    ['/?kiosk=true', true],
    ['/?kiosk', true],
    ['?kiosk=1', true],
    ['/', false],
    ['/?kiosk=0', false],
    ['/?kiosky=1', false],
    ['/#kiosk=1', false],
  ])('%s → %s', (url, expected) => {
    expect(kioskRequested(url)).toBe(expected);
  });
});
