// Asks before a destructive or irreversible action. Any button, link or form with data-confirm="question" gets a
// native <dialog> (the #kazan-confirm markup in App.razor, texts in the user's language) before it acts; OK replays
// the action, Cancel leaves everything as it was. One listener on window, in the capture phase, so it runs before
// Blazor's own handlers, survives enhanced navigation (no per-element wiring) and covers interactive components too.
// Loaded in <head> as a classic script: the listeners exist before the first button can be clicked (as a deferred
// module it ran only after the page was parsed, and a quick click on a freshly loaded page deleted without asking).
(() => {
    const confirmed = new WeakSet();

    function ask(message) {
        const dialog = document.getElementById("kazan-confirm");
        if (!(dialog instanceof HTMLDialogElement) || typeof dialog.showModal !== "function") {
            return Promise.resolve(window.confirm(message));
        }

        dialog.querySelector("[data-confirm-text]").textContent = message;
        dialog.returnValue = "";
        return new Promise(resolve => {
            dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
            dialog.showModal();
            dialog.querySelector("[data-confirm-cancel]")?.focus();
        });
    }

    function intercept(event, element, message, replay) {
        if (confirmed.has(element)) {
            confirmed.delete(element);
            return;
        }

        event.preventDefault();
        event.stopImmediatePropagation();
        ask(message).then(ok => {
            if (ok) {
                confirmed.add(element);
                replay();
            }
        });
    }

    window.addEventListener("click", event => {
        const target = event.target instanceof Element ? event.target.closest("[data-confirm]") : null;
        if (!target || target.tagName === "FORM" || target.closest("#kazan-confirm") || target.matches(":disabled")) {
            return;
        }

        intercept(event, target, target.getAttribute("data-confirm"), () => target.click());
    }, true);

    window.addEventListener("submit", event => {
        const form = event.target;
        if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
            return;
        }

        const submitter = event.submitter;
        intercept(event, form, form.getAttribute("data-confirm"), () => form.requestSubmit(submitter ?? undefined));
    }, true);

    document.addEventListener("click", event => {
        const button = event.target instanceof Element ? event.target.closest("#kazan-confirm button[value]") : null;
        if (button) {
            button.closest("dialog").close(button.value);
        }
    });
})();
