// `--name value` / `--name=value` command-line options with numeric defaults.
export function numberArgs(defaults, argv = process.argv.slice(2)) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-zA-Z-]+)(?:=(.*))?$/.exec(argv[i]); // --profile-dir or --profileDir
    if (!m) continue;
    const key = m[1].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    const value = m[2] ?? argv[++i];
    if (key in out) out[key] = typeof out[key] === 'number' ? Number(value) : value;
  }
  return out;
}
