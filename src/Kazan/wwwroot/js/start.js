// Starts Blazor (App.razor loads it with autostart="false"). An interactive page that hears nothing from the server for
// 12 seconds treats the connection as lost and shows the reconnect dialog (the server pings every 4 s, Program.cs);
// SignalR's default of 30 s left a phone user on a dead page for half a minute.
Blazor.start({
    circuit: {
        configureSignalR: builder => builder.withServerTimeout(12000).withKeepAliveInterval(4000),
    },
});

// The skip link (MainLayout.razor) moves the focus to the content, not only the scroll position. One listener on the
// document rather than an inline onclick, which the Content-Security-Policy forbids.
document.addEventListener("click", e => {
    if (e.target instanceof Element && e.target.closest(".skip-link")) {
        document.getElementById("content")?.focus();
    }
});
