import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { CardGroup } from './metric-cards';

/**
 * The metric cards, one group per row (host, then each environment). A card's threshold
 * state shows as colour and as a word, so it does not depend on colour alone.
 */
@Component({
  selector: 'vg-metric-cards',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  templateUrl: './metric-cards.component.html',
  styleUrl: './metric-cards.component.css',
})
export class MetricCardsComponent {
  readonly groups = input.required<readonly CardGroup[]>();
}
