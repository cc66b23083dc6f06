/// The page's one stylesheet: screen and A4 print, no external fonts or images.
enum ReportStyle {
    static let css = """
        :root { --ink:#1d2733; --muted:#5f6b7a; --line:#dfe4ea; --navy:#1f3a5f; --teal:#2a9d8f; --amber:#e9b949;
                --coral:#e76f51; --paper:#ffffff; --wash:#f4f6f8; }
        * { box-sizing: border-box; }
        html { background: var(--wash); }
        body { margin: 0; color: var(--ink); font: 14px/1.45 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif;
               -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        .page { max-width: 820px; margin: 0 auto; background: var(--paper); padding: 30px 30px 24px; }
        header { border-bottom: 3px solid var(--navy); padding-bottom: 12px; margin-bottom: 18px; }
        .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 11px; color: var(--teal); font-weight: 700; }
        h1 { font-size: 26px; line-height: 1.2; margin: 4px 0 6px; color: var(--navy); }
        h2 { font-size: 16px; margin: 0 0 8px; color: var(--navy); }
        .meta { color: var(--muted); font-size: 12.5px; }
        .meta b { color: var(--ink); font-weight: 600; }
        section { margin: 0 0 20px; break-inside: avoid; page-break-inside: avoid; }
        .cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: #fbfcfd; }
        .card .label { font-size: 11.5px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
        .card .big { font-size: 22px; font-weight: 700; color: var(--navy); white-space: nowrap; }
        .card .sub { font-size: 12px; color: var(--muted); }
        .card.accent { border-left: 4px solid var(--teal); }
        .neg { color: #b23a1e !important; }
        svg.chart { width: 100%; height: auto; display: block; }
        svg text { font-family: inherit; fill: var(--ink); }
        .lvl1 { fill: var(--navy); } .lvl2 { fill: var(--teal); } .lvl3 { fill: var(--amber); }
        .lvl-label { fill: #fff !important; font-weight: 700; font-size: 13px; }
        .lvl-hint { font-size: 10.5px; letter-spacing: .06em; fill: var(--muted) !important; }
        .lvl-fig { font-size: 15px; font-weight: 700; }
        .lvl-sub { font-size: 12.5px; }
        .leader { stroke: var(--line); stroke-width: 1; }
        .grid { stroke: var(--line); stroke-width: 1; } .zero { stroke: #9aa5b1; stroke-width: 1.2; }
        .axis { font-size: 10.5px; fill: var(--muted) !important; }
        .roi-axis { fill: var(--navy) !important; }
        .net-area { fill: var(--teal); opacity: .14; }
        .net-line { fill: none; stroke: var(--teal); stroke-width: 2.5; }
        .roi-line { fill: none; stroke: var(--navy); stroke-width: 1.8; stroke-dasharray: 5 4; }
        .net-dot { fill: var(--teal); } .roi-dot { fill: var(--navy); }
        .point-label { font-size: 12px; font-weight: 700; }
        .legend { font-size: 11px; } .key-net { fill: var(--teal) !important; font-weight: 700; } .key-roi { fill: var(--navy) !important; font-weight: 700; }
        .bar-value { fill: var(--teal); } .bar-cost { fill: var(--coral); }
        text.bar-value, text.bar-value tspan { fill: var(--ink); font-size: 11.5px; }
        .bar-label { font-size: 13px; font-weight: 600; }
        .mix0 { fill: var(--navy); } .mix1 { fill: var(--teal); } .mix2 { fill: var(--amber); } .mix3 { fill: var(--coral); }
        .mix4 { fill: #6c8ebf; } .mix5 { fill: #8fbf9f; } .mix6 { fill: #c9a0dc; } .mix7 { fill: #a7b1bd; }
        .mix-label { fill: #fff !important; font-size: 11.5px; font-weight: 600; }
        .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
        .sw0 { background: var(--navy); } .sw1 { background: var(--teal); } .sw2 { background: var(--amber); } .sw3 { background: var(--coral); }
        .sw4 { background: #6c8ebf; } .sw5 { background: #8fbf9f; } .sw6 { background: #c9a0dc; } .sw7 { background: #a7b1bd; }
        table { width: 100%; border-collapse: collapse; font-size: 12.5px; }
        th { text-align: left; font-weight: 600; color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .04em;
             border-bottom: 1.5px solid var(--line); padding: 5px 6px; }
        td { border-bottom: 1px solid var(--line); padding: 5px 6px; }
        td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        th.num { text-align: right; }
        table.managers td, table.managers th { padding: 5px 4px 5px 8px; }
        table.managers th { font-size: 10px; line-height: 1.25; vertical-align: bottom; }
        .two { display: grid; grid-template-columns: 1fr 1fr; gap: 22px; }
        .notes { font-size: 12px; color: #39434f; border-top: 1px solid var(--line); padding-top: 12px; }
        .notes ul { margin: 0; padding-left: 18px; } .notes li { margin-bottom: 5px; }
        .warning { background: #fff4e0; border-left: 4px solid var(--amber); padding: 6px 10px; }
        .empty { color: var(--muted); font-style: italic; }
        .answer { font-size: 15px; line-height: 1.45; margin: 0 0 8px; }
        .answer .fig { font-weight: 600; }
        footer { color: var(--muted); font-size: 11px; margin-top: 8px; }
        @page { size: A4; margin: 12mm 12mm 14mm; }
        @media print {
          html { background: none; }
          body { font-size: 12px; }
          .page { max-width: none; padding: 0; }
          .page-break { break-before: page; page-break-before: always; }
          h1 { font-size: 22px; }
          .card .big { font-size: 18px; }
          section { margin-bottom: 14px; }
        }
        """
}
