// Starts Blazor (App.razor loads it with autostart="false"). An interactive page that hears nothing from the server for
// 12 seconds treats the connection as lost and shows the reconnect dialog (the server pings every 4 s, Program.cs);
// SignalR's default of 30 s left a phone user on a dead page for half a minute.
Blazor.start({
    circuit: {
        configureSignalR: builder => builder.withServerTimeout(12000).withKeepAliveInterval(4000),
    },
});
