// A supervisor action's two steps on every page: confirm it in the page's dialog, then show its result.

const dialog = document.getElementById('confirm');
const result = document.getElementById('result');

/**
 * Asks in the dialog. `fields` are the ids of the dialog's optional paragraphs this action needs (each holding one
 * input or select); resolves to their values by input id ({} when none), or null when cancelled.
 */
export function confirmAction(text, fields = []) {
  document.getElementById('confirm-text').textContent = text;
  const optional = [...dialog.querySelectorAll('p[id$="-field"]')];
  optional.forEach((p) => { p.hidden = !fields.includes(p.id); });
  const inputs = optional.filter((p) => !p.hidden).map((p) => p.querySelector('input, select'));
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (dialog.returnValue !== 'ok') {
        resolve(null);
        return;
      }
      resolve(Object.fromEntries(inputs.map((input) => [input.id, input.value])));
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    (inputs[0] ?? document.getElementById('confirm-ok')).focus();
  });
}

/** Shows what an action did (or why it was refused), as text, in the page's status line. */
export function report(ok, text) {
  result.hidden = false;
  result.dataset.ok = String(ok);
  result.textContent = `${ok ? '✔' : '✖'} ${text}`;
}

/** Why the API refused: the problem's field messages, else its detail, else the status. */
export function refusal(answer) {
  const errors = answer.body?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  }
  return answer.body?.detail ?? `HTTP ${answer.status}`;
}
