/// The console's stylesheet and its one small script (the pages work without it: it only adds
/// "select all" to a list and a confirmation count).
enum Assets {
    static let css = """
        :root { --good: #1b7f3b; --bad: #b42318; --warning: #a15c00; --info: #175cd3; --neutral: #555; }
        * { box-sizing: border-box; }
        body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #f6f7f9; }
        nav { display: flex; gap: 1rem; align-items: center; padding: .6rem 1.2rem; background: #1d2939; flex-wrap: wrap; }
        nav a, nav button { color: #fff; text-decoration: none; background: none; border: 0; font: inherit; cursor: pointer; }
        nav .brand { font-weight: 600; } nav .spacer { flex: 1; }
        main { padding: 1rem 1.5rem; max-width: 1400px; }
        table { border-collapse: collapse; width: 100%; background: #fff; margin: .5rem 0 1rem; }
        th, td { border-bottom: 1px solid #e4e7ec; padding: .35rem .5rem; text-align: left; vertical-align: top; }
        th { background: #f2f4f7; font-weight: 600; }
        .badge { display: inline-block; padding: 0 .5rem; border-radius: 1rem; color: #fff; font-size: 13px; }
        .badge.good { background: var(--good); } .badge.bad { background: var(--bad); } .badge.warning { background: var(--warning); }
        .badge.info { background: var(--info); } .badge.neutral { background: var(--neutral); }
        .notice { padding: .5rem .8rem; border-left: 4px solid var(--neutral); background: #fff; }
        .notice.bad { border-color: var(--bad); } .notice.good { border-color: var(--good); } .notice.warning { border-color: var(--warning); }
        form.inline { display: inline; }
        .filters { display: flex; gap: .6rem; flex-wrap: wrap; align-items: end; background: #fff; padding: .6rem; }
        .filters label { display: flex; flex-direction: column; font-size: 13px; }
        .presets a { margin-right: .8rem; }
        .presets a.active { font-weight: 600; }
        button, input[type=submit] { padding: .35rem .8rem; }
        pre { background: #fff; padding: .6rem; overflow: auto; white-space: pre-wrap; word-break: break-all; max-height: 30rem; }
        .figures { display: flex; gap: 1rem; flex-wrap: wrap; }
        .figure { background: #fff; padding: .6rem 1rem; border-top: 4px solid var(--neutral); min-width: 10rem; }
        .figure.good { border-color: var(--good); } .figure.bad { border-color: var(--bad); } .figure.warning { border-color: var(--warning); }
        .figure b { display: block; font-size: 1.6rem; }
        .chart { background: #fff; padding: .6rem; margin: 1rem 0; }
        svg text { font: 11px system-ui, sans-serif; fill: #344054; }
        svg .good { fill: var(--good); } svg .bad { fill: var(--bad); } svg .info { fill: var(--info); }
        svg .warning { fill: var(--warning); } svg .neutral { fill: var(--neutral); }
        """

    static let javascript = """
        document.addEventListener('DOMContentLoaded', function () {
          var all = document.getElementById('select-all');
          if (all) {
            all.addEventListener('change', function () {
              document.querySelectorAll('input[name=key]').forEach(function (box) { box.checked = all.checked; });
            });
          }
        });
        """
}
