import { FIRST_PAGE, currentCursor, nextPage, pageNumber, previousPage } from './audit-pager';

describe('audit cursor trail', () => {
  it('goes forward with each nextCursor and back along the same cursors', () => {
    const second = nextPage(FIRST_PAGE, 'c2');
    const third = nextPage(second, 'c3');
    expect([pageNumber(third), currentCursor(third)]).toEqual([3, 'c3']);
    const back = previousPage(third);
    expect([pageNumber(back), currentCursor(back)]).toEqual([2, 'c2']);
    const first = previousPage(back);
    expect([pageNumber(first), currentCursor(first)]).toEqual([1, null]);
  });

  it('stays put past either end', () => {
    expect(previousPage(FIRST_PAGE)).toEqual(FIRST_PAGE);
    expect(nextPage(FIRST_PAGE, null)).toBe(FIRST_PAGE);
  });
});
