// How Playwright launches Debian's Chromium here, shared by the specs and the benchmark.
// Playwright never downloads a browser on these machines. As root Chromium needs
// --no-sandbox; the networking flags keep it from calling home on a closed network.
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
