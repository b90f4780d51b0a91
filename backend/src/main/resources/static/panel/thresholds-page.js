// Tile thresholds per queue: a form per queue, written with PUT …/wallboard/thresholds/{queue}; the API's
// validation is shown on the field at fault.
import { getJson, send } from './api.js';
import { report } from './actions.js';
import { connectEvents } from './events.js';
import { clearErrors, numberOrNull, showErrors } from './forms.js';
import { METRICS } from './thresholds.js';

const container = document.getElementById('queues');
const template = document.getElementById('threshold-form').content.querySelector('form');

function fill(form, thresholds) {
  for (const metric of Object.keys(METRICS)) {
    for (const level of ['warn', 'alarm']) {
      const value = thresholds?.[metric]?.[level];
      form.elements[`${metric}.${level}`].value = value == null ? '' : String(value);
    }
  }
}

/** Both levels empty: the figure has no threshold (null); one empty: sent as null, for the API to name it. */
function body(form) {
  const thresholds = {};
  for (const metric of Object.keys(METRICS)) {
    const warn = numberOrNull(form.elements[`${metric}.warn`]);
    const alarm = numberOrNull(form.elements[`${metric}.alarm`]);
    thresholds[metric] = warn === null && alarm === null ? null : { warn, alarm };
  }
  return thresholds;
}

function formFor(queue, thresholds) {
  const form = template.cloneNode(true);
  form.dataset.queue = queue.number;
  form.querySelector('[data-field="name"]').textContent = queue.name;
  form.querySelector('[data-field="number"]').textContent = queue.number;
  form.setAttribute('aria-label', `Thresholds of ${queue.name} (${queue.number})`);
  fill(form, thresholds);
  const path = `/wallboard/thresholds/${encodeURIComponent(queue.number)}`;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await send('PUT', path, body(form));
    if (answer.ok) {
      clearErrors(form);
      fill(form, answer.body);
      report(true, `Thresholds of ${queue.name} saved; the wallboard shows them now.`);
    } else {
      showErrors(form, answer);
      report(false, `Thresholds of ${queue.name} not saved: see the fields marked.`);
    }
  });
  form.querySelector('[data-action="clear"]').addEventListener('click', async () => {
    const answer = await send('DELETE', path);
    if (answer.ok) {
      clearErrors(form);
      fill(form, null);
      report(true, `Thresholds of ${queue.name} cleared: the tile is never coloured.`);
    } else {
      showErrors(form, answer);
    }
  });
  return form;
}

async function load() {
  const [queues, thresholds] = await Promise.all([getJson('/queues'), getJson('/wallboard/thresholds')]);
  queues.sort((a, b) => a.number.localeCompare(b.number));
  container.replaceChildren(...queues.map((queue) => formFor(queue, thresholds[queue.number])));
  document.getElementById('no-queues').hidden = queues.length > 0;
}

// Loaded once: a form being edited is not replaced under the supervisor's hands by a live update.
let loaded = false;
connectEvents({
  onOpen: () => {
    if (!loaded) {
      loaded = true;
      load().catch((e) => console.warn('thresholds failed to load', e));
    }
  },
  onEvent: () => {},
});
