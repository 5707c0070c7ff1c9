// The bell's unread count, refreshed every minute on a page left open (every navigation renders it afresh anyway).
// The bell carries its accessible names in the page's language: data-label-none and data-label-some ("…, {0} unread").
(() => {
    const refresh = async () => {
        const bell = document.querySelector('[data-notification-bell]');
        if (!bell || document.hidden) {
            return;
        }

        try {
            const response = await fetch('/api/v1/notifications/unread-count', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
            if (!response.ok) {
                return;
            }

            const { count } = await response.json();
            const badge = bell.querySelector('[data-notification-count]');
            const text = count > 99 ? '99+' : String(count);
            badge.textContent = text;
            badge.hidden = count === 0;
            bell.setAttribute('aria-label', count === 0 ? bell.dataset.labelNone : bell.dataset.labelSome.replace('{0}', String(count)));
        } catch {
            // Offline or signed out: the count stays as it was until the next page.
        }
    };

    setInterval(refresh, 60_000);
    document.addEventListener('visibilitychange', () => { if (!document.hidden) { refresh(); } });
})();
