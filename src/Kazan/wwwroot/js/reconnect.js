// Kazan's own reconnect dialog for interactive pages (the #components-reconnect-modal markup in App.razor, in the
// user's language). Blazor sets a state class on it and raises components-reconnect-state-changed; this opens and
// closes the dialog and wires its buttons.
const modal = document.getElementById("components-reconnect-modal");

if (modal instanceof HTMLDialogElement) {
    modal.addEventListener("components-reconnect-state-changed", event => {
        const state = event.detail?.state;
        if (state === "hide") {
            modal.close();
        } else if (state === "rejected") {
            location.reload();
        } else if (!modal.open) {
            modal.showModal();
        }

        if (state === "failed") {
            document.addEventListener("visibilitychange", retryWhenVisible);
        }
    });

    modal.querySelector("[data-reconnect-retry]")?.addEventListener("click", retry);
    modal.querySelector("[data-reconnect-resume]")?.addEventListener("click", resume);
    modal.querySelector("[data-reconnect-reload]")?.addEventListener("click", () => location.reload());
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenVisible);
    try {
        if (!await Blazor.reconnect()) {
            location.reload();
        }
    } catch {
        document.addEventListener("visibilitychange", retryWhenVisible);
    }
}

async function resume() {
    try {
        if (!await Blazor.resumeCircuit()) {
            location.reload();
        }
    } catch {
        modal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

function retryWhenVisible() {
    if (document.visibilityState === "visible") {
        retry();
    }
}
