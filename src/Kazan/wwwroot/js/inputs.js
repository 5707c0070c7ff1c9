// Kazan's number and date boxes (Components/Shared/NumberInput and DateInput) in server-rendered forms: reads what was
// typed in the user's language (the page's <html lang>, never the browser's), formats it on blur, shows the same
// inline error the server would, and holds a form back while an error shows. The rules mirror
// Infrastructure/Localization/NumberText.cs and DateText.cs (a browser test compares both on one table); the server
// always reads the posted text again. Boxes inside interactive components (data-live) are read in C# and skipped here,
// except for their calendar button. Loaded once; listeners sit on document, so they survive enhanced navigation.
(() => {
    'use strict';
    if (window.kazanInputs) {
        return;
    }

    const SPACE = /[\u0020\u00A0\u202F\u2009]/;
    const SPACES = /[\u0020\u00A0\u202F\u2009]/g;
    const CURRENCY = ['₺', 'TL', 'TRY', '$', 'USD', '€', 'EUR'];
    const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
    const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
    const SHOWN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

    const language = () => ((document.documentElement.lang || 'tr').toLowerCase().startsWith('en') ? 'en' : 'tr');
    const marksOf = lang => (lang === 'en' ? { dec: '.', group: ',' } : { dec: ',', group: '.' });

    function texts() {
        const el = document.getElementById('kazan-input-text');
        try {
            return el ? JSON.parse(el.textContent) : {};
        } catch {
            return {};
        }
    }

    const fill = (template, ...args) => (template || '').replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));

    // ---- numbers -------------------------------------------------------------------------------------------------

    function clean(text, style) {
        let s = (text || '').trim();
        if (style === 'percent') {
            s = s.replace(/^%+|%+$/g, '').trim();
        } else if (style === 'money' || style === 'price') {
            for (const mark of CURRENCY) {
                if (s.toUpperCase().startsWith(mark)) {
                    s = s.slice(mark.length).trim();
                }
                if (s.toUpperCase().endsWith(mark)) {
                    s = s.slice(0, s.length - mark.length).trim();
                }
            }
        }
        return s;
    }

    function grouped(whole, group, allowEmpty) {
        if (whole.length === 0) {
            return allowEmpty;
        }
        const hasMark = whole.includes(group);
        const hasSpace = SPACE.test(whole);
        if (!hasMark && !hasSpace) {
            return /^[0-9]+$/.test(whole);
        }
        if (hasMark && hasSpace) {
            return false;
        }
        const parts = hasMark ? whole.split(group) : whole.split(SPACE);
        return parts[0].length >= 1 && parts[0].length <= 3 && parts.every(p => /^[0-9]*$/.test(p)) && parts.slice(1).every(p => p.length === 3);
    }

    // Unsigned digits with the given marks: { kind: 'number', whole, fraction } | { kind: 'nan' } | { kind: 'wrong' }.
    function read(s, dec, group) {
        if (s.length === 0 || /[^0-9.,\u0020\u00A0\u202F\u2009]/.test(s)) {
            return { kind: 'nan' };
        }
        const lastDec = s.lastIndexOf(dec);
        const lastGroup = s.lastIndexOf(group);
        let whole = s;
        let fraction = '';
        if (lastDec >= 0) {
            if (lastGroup > lastDec) {
                return { kind: 'wrong' };
            }
            if (s.indexOf(dec) !== lastDec) {
                return { kind: 'nan' };
            }
            whole = s.slice(0, lastDec);
            fraction = s.slice(lastDec + 1);
            if (!/^[0-9]+$/.test(fraction)) {
                return { kind: 'nan' };
            }
        }
        if (!grouped(whole, group, fraction.length > 0)) {
            const groups = whole.split(group).length - 1;
            return groups === 1 && lastDec < 0 && !SPACE.test(whole) && !whole.endsWith(group) ? { kind: 'wrong' } : { kind: 'nan' };
        }
        const digits = whole.replace(/[^0-9]/g, '').replace(/^0+(?=[0-9])/, '') || '0';
        return { kind: 'number', whole: digits, fraction: fraction.replace(/0+$/, '') };
    }

    function groupDigits(whole, mark) {
        let out = '';
        for (let i = 0; i < whole.length; i++) {
            if (i > 0 && (whole.length - i) % 3 === 0) {
                out += mark;
            }
            out += whole[i];
        }
        return out;
    }

    function write(negative, whole, fraction, lang, minDecimals, isGrouped) {
        const m = marksOf(lang);
        let f = fraction;
        while (f.length < minDecimals) {
            f += '0';
        }
        const sign = negative && (whole !== '0' || /[1-9]/.test(f)) ? '-' : '';
        return sign + (isGrouped ? groupDigits(whole, m.group) : whole) + (f.length ? m.dec + f : '');
    }

    const MIN_DECIMALS = { money: 2, price: 2 };

    // Reads typed text for a box: { ok: true, value: Number|null, text } or { ok: false, problem, ... } as NumberText.Parse.
    function parseNumber(text, rule, lang) {
        lang = lang || language();
        const m = marksOf(lang);
        const s = clean(text, rule.style);
        if (s.length === 0) {
            return rule.required ? { ok: false, problem: 'required' } : { ok: true, value: null, text: '' };
        }
        const negative = s[0] === '-' || s[0] === '\u2212';
        const digits = negative ? s.slice(1).trimStart() : s;
        const r = read(digits, m.dec, m.group);
        if (r.kind === 'wrong') {
            const other = read(digits, m.group, m.dec);
            return other.kind === 'number'
                ? { ok: false, problem: 'wrong', suggestion: write(negative, other.whole, other.fraction, lang, 0, true) }
                : { ok: false, problem: 'nan' };
        }
        if (r.kind !== 'number') {
            return { ok: false, problem: 'nan' };
        }
        if (r.fraction.length > rule.decimals) {
            return { ok: false, problem: 'decimals', decimals: rule.decimals };
        }
        const value = Number((negative ? '-' : '') + r.whole + (r.fraction ? '.' + r.fraction : ''));
        if (value < rule.min || value > rule.max || (rule.minExclusive && value === rule.min)) {
            return { ok: false, problem: 'range' };
        }
        const style = rule.style;
        const text2 = write(negative, r.whole, r.fraction, lang, MIN_DECIMALS[style] || 0, style !== 'whole');
        return { ok: true, value, text: text2 };
    }

    function ruleOf(input) {
        const d = input.dataset;
        return {
            style: d.number,
            decimals: Number(d.decimals),
            min: Number(d.min),
            max: Number(d.max),
            minExclusive: d.minExclusive === 'true',
            required: d.required === 'true',
        };
    }

    function numberMessage(result, input) {
        const t = texts();
        const d = input.dataset;
        switch (result.problem) {
            case 'required': return t['Input.Required'];
            case 'wrong': return fill(t['Number.WrongSeparator'], result.suggestion);
            case 'decimals': return result.decimals === 0 ? t['Number.WholeOnly'] : fill(t['Number.TooManyDecimals'], result.decimals);
            case 'range': return fill(t[d.minExclusive === 'true' ? 'Number.OutOfRangeExclusive' : 'Number.OutOfRange'], d.minText, d.maxText);
            default: return fill(t['Number.NotANumber'], d.example);
        }
    }

    // ---- dates ---------------------------------------------------------------------------------------------------

    const pad = n => String(n).padStart(2, '0');

    function makeDate(year, month, day) {
        if (month < 1 || month > 12 || day < 1) {
            return null;
        }
        const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
        return day > last ? null : { year, month, day };
    }

    const yearOf = text => (text.length === 2 ? 2000 + Number(text) : Number(text));

    function monthOf(name, fullAllowed, abbreviatedAllowed) {
        const n = name.toLowerCase();
        if (abbreviatedAllowed && MONTHS.includes(n)) {
            return MONTHS.indexOf(n) + 1;
        }
        if (fullAllowed && MONTH_NAMES.includes(n)) {
            return MONTH_NAMES.indexOf(n) + 1;
        }
        return 0;
    }

    function tryFormats(s, lang) {
        let x;
        if ((x = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s))) {
            return makeDate(Number(x[1]), Number(x[2]), Number(x[3]));
        }
        if (lang === 'tr') {
            if ((x = /^(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})$/.exec(s)) || (x = /^(\d{1,2})(-)(\d{1,2})-(\d{4})$/.exec(s))) {
                return makeDate(yearOf(x[4]), Number(x[3]), Number(x[1]));
            }
            return null;
        }
        if ((x = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})$/.exec(s))) {
            return makeDate(yearOf(x[3]), Number(x[1]), Number(x[2]));
        }
        if ((x = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(s))) {
            const month = monthOf(x[2], true, true);
            return month ? makeDate(Number(x[3]), month, Number(x[1])) : null;
        }
        if ((x = /^(\d{1,2}) ([A-Za-z]+) (\d{2})$/.exec(s))) {
            const month = monthOf(x[2], false, true);
            return month ? makeDate(yearOf(x[3]), month, Number(x[1])) : null;
        }
        if ((x = /^([A-Za-z]+) (\d{1,2}),? (\d{4})$/.exec(s))) {
            const month = monthOf(x[1], true, true);
            return month ? makeDate(Number(x[3]), month, Number(x[2])) : null;
        }
        if ((x = /^(\d{1,2})-([A-Za-z]+)-(\d{4})$/.exec(s))) {
            const month = monthOf(x[2], false, true);
            return month ? makeDate(Number(x[3]), month, Number(x[1])) : null;
        }
        return null;
    }

    function formatDate(date, lang) {
        return (lang || language()) === 'en'
            ? `${pad(date.day)} ${SHOWN_MONTHS[date.month - 1]} ${date.year}`
            : `${pad(date.day)}.${pad(date.month)}.${date.year}`;
    }

    const iso = date => `${date.year}-${pad(date.month)}-${pad(date.day)}`;

    // Reads a typed date: { ok: true, date|null, text, iso } or { ok: false, problem }, as DateText.Parse.
    function parseDate(text, required, lang) {
        lang = lang || language();
        const s = (text || '').trim().replace(/\s+/g, ' ');
        if (s.length === 0) {
            return required ? { ok: false, problem: 'required' } : { ok: true, date: null, text: '', iso: '' };
        }
        const date = tryFormats(s, lang);
        if (date) {
            if (date.year < 1900 || date.year > 2199) {
                return { ok: false, problem: 'range' };
            }
            return { ok: true, date, text: formatDate(date, lang), iso: iso(date) };
        }
        const shaped = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/.test(s) || /^(\d{1,2} \p{L}+,? \d{2,4}|\p{L}+ \d{1,2},? \d{2,4})$/u.test(s);
        return { ok: false, problem: shaped ? 'nosuchdate' : 'nan' };
    }

    function dateMessage(result) {
        const t = texts();
        switch (result.problem) {
            case 'required': return t['Input.Required'];
            case 'range': return t['Date.OutOfRange'];
            case 'nosuchdate': return fill(t['Date.NoSuchDate'], t['Date.Example']);
            default: return fill(t['Date.NotADate'], t['Date.Example']);
        }
    }

    // ---- boxes on the page ---------------------------------------------------------------------------------------

    const BOXES = 'input[data-number]:not([data-live]), input[data-date]:not([data-live])';

    function show(input, message) {
        const error = document.getElementById(input.id + '-error');
        if (message) {
            input.setAttribute('aria-invalid', 'true');
            input.setAttribute('aria-describedby', input.id + '-error');
        } else {
            input.removeAttribute('aria-invalid');
            input.removeAttribute('aria-describedby');
        }
        if (error) {
            error.textContent = message || '';
            error.hidden = !message;
        }
    }

    // Checks one box; formats it when asked (on blur). Returns whether it reads.
    function check(input, format) {
        if (input.dataset.number !== undefined) {
            const result = parseNumber(input.value, ruleOf(input));
            if (result.ok && format && input.value !== result.text) {
                input.value = result.text;
            }
            show(input, result.ok ? null : numberMessage(result, input));
            return result.ok;
        }
        const result = parseDate(input.value, input.dataset.required === 'true');
        if (result.ok && format && input.value !== result.text) {
            input.value = result.text;
        }
        show(input, result.ok ? null : dateMessage(result));
        const picker = document.querySelector(`input[data-date-picker="${input.id}"]`);
        if (picker && result.ok) {
            picker.value = result.iso;
        }
        return result.ok;
    }

    document.addEventListener('focusout', e => {
        const input = e.target;
        if (input instanceof HTMLInputElement && input.matches(BOXES) && !input.readOnly) {
            check(input, true);
        }
    });

    // While typing, an error goes away as soon as the text reads (it only appears on blur).
    document.addEventListener('input', e => {
        const input = e.target;
        if (input instanceof HTMLInputElement && input.matches(BOXES) && input.getAttribute('aria-invalid') === 'true') {
            const ok = input.dataset.number !== undefined
                ? parseNumber(input.value, ruleOf(input)).ok
                : parseDate(input.value, input.dataset.required === 'true').ok;
            if (ok) {
                show(input, null);
            }
        }
    });

    // Capture phase: runs before Blazor's enhanced form handling, which leaves a prevented submit alone.
    document.addEventListener('submit', e => {
        const form = e.target;
        if (!(form instanceof HTMLFormElement) || (e.submitter && e.submitter.formNoValidate)) {
            return;
        }
        let first = null;
        for (const input of form.querySelectorAll(BOXES)) {
            if (!input.readOnly && !input.disabled && !check(input, true) && !first) {
                first = input;
            }
        }
        if (first) {
            e.preventDefault();
            e.stopImmediatePropagation();
            first.focus();
        }
    }, true);

    // The calendar: the hidden date box opens the browser's picker; the chosen day is written back in Kazan's format.
    document.addEventListener('click', e => {
        const button = e.target instanceof Element ? e.target.closest('[data-date-pick]') : null;
        if (!button) {
            return;
        }
        const input = document.getElementById(button.dataset.datePick);
        const picker = document.querySelector(`input[data-date-picker="${button.dataset.datePick}"]`);
        if (!input || !picker || input.readOnly || input.disabled) {
            return;
        }
        const current = parseDate(input.value, false);
        picker.value = current.ok && current.date ? current.iso : '';
        try {
            picker.showPicker();
        } catch {
            picker.focus();
        }
    });

    document.addEventListener('change', e => {
        const picker = e.target;
        if (!(picker instanceof HTMLInputElement) || !picker.matches('input[data-date-picker]') || !picker.value) {
            return;
        }
        const input = document.getElementById(picker.dataset.datePicker);
        const x = /^(\d{4})-(\d{2})-(\d{2})$/.exec(picker.value);
        if (!input || !x) {
            return;
        }
        input.value = formatDate({ year: Number(x[1]), month: Number(x[2]), day: Number(x[3]) });
        if (!input.hasAttribute('data-live')) {
            show(input, null);
        }
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
    });

    window.kazanInputs = { parseNumber, parseDate, formatDate };
})();
