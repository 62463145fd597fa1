// Renders run-all's collected results as a Markdown table.
const fmt = (value, unit) => (typeof value === 'number' ? `${value.toLocaleString('en')}${unit ? ` ${unit}` : ''}` : (value ?? '—'));

export function markdownReport(report) {
  const lines = [
    `# Vigil benchmarks`,
    '',
    `Run ${report.startedAt} → ${report.finishedAt}, Node ${report.node}, ${report.cpus} CPUs.`,
    '',
    '| benchmark | result | baseline (same run) | ratio | target | met? |',
    '|---|---|---|---|---|---|',
  ];
  for (const outcome of report.benchmarks) {
    if (outcome.results.length === 0) {
      lines.push(`| ${outcome.name} | failed (exit ${outcome.signal ?? outcome.code}) | — | — | — | no |`);
      continue;
    }
    for (const result of outcome.results) {
      for (const row of result.rows) {
        const ratio = typeof row.ratio === 'number' ? `${row.ratio}x` : (row.ratio ?? '—');
        const met = row.met === null || row.met === undefined ? '—' : row.met ? 'yes' : '**no**';
        lines.push(
          `| ${row.benchmark} | ${row.display ?? fmt(row.result, row.unit)} | ${row.baselineDisplay ?? fmt(row.baseline, row.unit)} | ${ratio} | ${row.target ?? '—'} | ${met} |`,
        );
      }
    }
  }
  lines.push('', 'Per-run numbers are in `latest.json` (`benchmarks[].results[].details`).', '');
  return lines.join('\n');
}
