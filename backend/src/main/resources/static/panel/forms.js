// Forms that write through the REST API: the API's validation messages (RFC 9457 problem, `errors[].field`) are
// shown on the field at fault, as text, and the field is marked invalid for assistive technology.

/** Removes the messages of an earlier attempt. */
export function clearErrors(form) {
  for (const message of form.querySelectorAll('.field-error')) {
    message.remove();
  }
  for (const field of form.querySelectorAll('[aria-invalid="true"]')) {
    field.removeAttribute('aria-invalid');
    field.removeAttribute('aria-describedby');
  }
  const general = form.querySelector('.form-error');
  if (general) {
    general.hidden = true;
    general.textContent = '';
  }
}

let counter = 0;

/**
 * Puts each of the problem's errors next to the input named like its field (`longestWaitSeconds.alarm`,
 * `members[2].tier`); what matches no input, and a problem without field errors, goes to the form's `.form-error`.
 * Focuses the first field at fault. Returns how many errors were placed on fields.
 */
export function showErrors(form, answer) {
  clearErrors(form);
  const errors = Array.isArray(answer.body?.errors) ? answer.body.errors : [];
  const unplaced = [];
  let first = null;
  for (const error of errors) {
    const name = error.field.replace(/\[\]$/, ''); // an element of a set (roles[]) is the set's field
    const field = [...form.elements].find((element) => element.name === name);
    if (!field) {
      unplaced.push(`${error.field}: ${error.message}`);
      continue;
    }
    counter += 1;
    const message = document.createElement('span');
    message.className = 'field-error';
    message.id = `field-error-${counter}`;
    message.textContent = error.message;
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', message.id);
    // A group of checkboxes (roles) gets its message under the group, not after its first box.
    const anchor = field.type === 'checkbox' || field.type === 'radio' ? field.closest('fieldset') ?? field : field;
    anchor.insertAdjacentElement(anchor === field ? 'afterend' : 'beforeend', message);
    first ??= field;
  }
  if (errors.length === 0) {
    unplaced.push(answer.body?.detail ?? `HTTP ${answer.status}`);
  }
  const general = form.querySelector('.form-error');
  if (general && unplaced.length > 0) {
    general.textContent = `✖ ${unplaced.join('; ')}`;
    general.hidden = false;
  }
  (first ?? general)?.focus?.();
  return errors.length - unplaced.length;
}

/** A number input's value, or null when empty (the API then says whether it may be). */
export function numberOrNull(input) {
  return input.value.trim() === '' ? null : Number(input.value);
}
