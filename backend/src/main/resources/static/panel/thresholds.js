// A queue's tile thresholds (GET/PUT /api/v1/tenants/{t}/wallboard/thresholds): which figure crossed which level.
// Each level has a word and an icon, so colour is never the only signal.
import { duration } from './format.js';

export const LEVELS = {
  ok: { word: 'OK', icon: '', rank: 0 },
  warn: { word: 'Warning', icon: '▲', rank: 1 },
  alarm: { word: 'Alarm', icon: '■', rank: 2 },
};

/** The figures a tile can be coloured by: how each is written, and whether a higher value is the worse one. */
export const METRICS = {
  waiting: { label: 'waiting', show: (v) => String(v), higherIsWorse: true },
  longestWaitSeconds: { label: 'longest wait', show: (v) => duration(v), higherIsWorse: true },
  serviceLevelPercent: { label: 'service level', show: (v) => `${Math.round(v)} %`, higherIsWorse: false },
};

function levelOf(value, threshold, higherIsWorse) {
  if (value == null || !threshold) {
    return 'ok';
  }
  const crossed = (limit) => (higherIsWorse ? value >= limit : value <= limit);
  if (crossed(threshold.alarm)) {
    return 'alarm';
  }
  return crossed(threshold.warn) ? 'warn' : 'ok';
}

/**
 * figures: {waiting, longestWaitSeconds, serviceLevelPercent (null: none yet)}; thresholds: the queue's, or
 * undefined. Returns the tile's level, each figure's level and one sentence per figure that crossed a level.
 */
export function assess(figures, thresholds) {
  const byMetric = {};
  const reasons = [];
  let level = 'ok';
  for (const [metric, { label, show, higherIsWorse }] of Object.entries(METRICS)) {
    const threshold = thresholds ? thresholds[metric] : null;
    const value = figures[metric];
    const metricLevel = levelOf(value, threshold, higherIsWorse);
    byMetric[metric] = metricLevel;
    if (metricLevel !== 'ok') {
      const limit = threshold[metricLevel];
      reasons.push(`${LEVELS[metricLevel].icon} ${LEVELS[metricLevel].word}: ${label} ${show(value)} `
        + `(${higherIsWorse ? '≥' : '≤'} ${show(limit)})`);
      if (LEVELS[metricLevel].rank > LEVELS[level].rank) {
        level = metricLevel;
      }
    }
  }
  return { level, byMetric, reasons };
}
