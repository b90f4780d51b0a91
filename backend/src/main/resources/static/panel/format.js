// How the panel writes times and figures.

/** 75 → "1:15", 3700 → "1:01:40". */
export function duration(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export function percent(value) {
  return `${Math.round(value)} %`;
}

/** Each agent state with its word and icon, so colour is never the only signal. */
export const STATES = {
  'logged-out': { word: 'Logged out', icon: '○' },
  available: { word: 'Available', icon: '●' },
  reserved: { word: 'Ringing', icon: '♪' },
  'on-call': { word: 'On call', icon: '☎' },
  'wrap-up': { word: 'Wrap-up', icon: '✎' },
  'not-ready': { word: 'Not ready', icon: '‖' },
};

/** Sets a field's text; the same text is not written again, so a live page re-lays out only what changed. */
export function setText(root, field, text) {
  const element = root.querySelector(`[data-field="${field}"]`);
  if (element && element.textContent !== text) {
    element.textContent = text;
  }
  return element;
}
