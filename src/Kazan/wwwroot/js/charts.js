// Draws the reports' charts with Chart.js (vendored in lib/chart.js, loaded only on pages that have a chart). A chart is
// a <canvas data-chart="{type, stacked?, floating?, labels, series: [{label, values, colors?}], currency, locale}">; a floating
// chart (the waterfall) gives each bar as [from, to] and its tooltip shows the step; the table beside it carries the
// same figures for screen readers and print. Runs on load and after every enhanced navigation.
const library = document.currentScript?.dataset.chartjs ?? "/lib/chart.js/chart.umd.min.js";
let loading = null;

function load() {
    if (window.Chart) return Promise.resolve();
    loading ??= new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = library;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
    });
    return loading;
}

function draw(canvas) {
    const spec = JSON.parse(canvas.dataset.chart);
    // Amounts in the currency; counts and days (no currency) as plain numbers. horizontal: bars along x (the funnel).
    const money = spec.currency
        ? new Intl.NumberFormat(spec.locale, { style: "currency", currency: spec.currency, maximumFractionDigits: 0 })
        : new Intl.NumberFormat(spec.locale, { maximumFractionDigits: 1 });
    const value = spec.horizontal ? "x" : "y";
    const category = spec.horizontal ? "y" : "x";
    window.Chart.getChart(canvas)?.destroy();
    new window.Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: spec.series.map(s => ({ label: s.label, data: s.values, backgroundColor: s.colors })) },
        options: {
            indexAxis: category,
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            scales: {
                [category]: { stacked: !!spec.stacked },
                [value]: { stacked: !!spec.stacked, beginAtZero: true, ticks: { callback: v => money.format(v) } },
            },
            plugins: {
                legend: { display: !spec.floating },
                tooltip: { callbacks: { label: c => `${c.dataset.label}: ${money.format(spec.floating ? c.raw[1] - c.raw[0] : c.parsed[value])}` } },
            },
        },
    });
    canvas.dataset.drawn = "true";
}

function drawAll() {
    const canvases = document.querySelectorAll("canvas[data-chart]");
    if (canvases.length === 0) return;
    load().then(() => canvases.forEach(draw));
}

drawAll();
window.Blazor?.addEventListener("enhancedload", drawAll);
