/// The script and style of report.html's explorer (`ReportExplorer`), inline in the page. The
/// script reads the JSON the page embeds (`#explorer-data`) and builds the explorer in
/// `#explorer`, with text only through `textContent`, so a name is never markup. It draws each
/// picture as one cell of a sprite: a box whose background is the sprite, scaled so that one cell
/// fills the box and moved to the cell (no canvas, nothing to decode twice). A sprite that does
/// not load is named in a note ("Missing from the report folder: …"), as the page's missing images
/// are. Without the JSON (a report with no sprites) it does nothing.
enum ExplorerScript {
    static let style = """
    .explorer { margin: 1em 0; }
    .explorer-controls { display: flex; flex-wrap: wrap; gap: .5em 1.5em; align-items: center; margin: .5em 0 1em; }
    .explorer-controls label { font-weight: 600; margin-right: .4em; }
    .explorer-controls select { font: inherit; padding: .15em .3em; max-width: 100%; }
    .chooser { max-width: 100%; }
    .explorer-view { padding: .2em .4em .6em; border: 1px solid #ddd; }
    .explorer-view:focus { outline: 2px solid #1a5fb4; outline-offset: 2px; }
    .explorer-view h3 { margin-top: .4em; }
    .explorer-numbers { margin: .3em 0 .8em; padding-left: 1.2em; font-size: .92em; }
    .explorer-row { display: flex; flex-wrap: wrap; gap: .7em .6em; align-items: flex-start; }
    figure.explorer-cell { margin: 0; text-align: center; }
    figure.explorer-cell figcaption { margin: .15em 0 0; font-size: .8em; overflow-wrap: normal; }
    .sprite-cell { width: var(--cell-w); height: var(--cell-h); background-repeat: no-repeat; image-rendering: pixelated;
                   box-sizing: border-box; border: 1px solid #ccc; margin: 0 auto; }
    .sprite-cell.on-sheet { outline: 3px solid #e66100; outline-offset: 1px; }
    .sprite-cell.absent { background: repeating-linear-gradient(45deg, #eee 0 6px, #fff 6px 12px); }
    .scale-bar { height: 8px; width: var(--cell-w); margin: .25em auto 0; border: 1px solid #999; box-sizing: border-box; }
    .explorer-legend { font-size: .9em; color: #444; margin: 1em 0 .4em; }
    @media (max-width: 600px) {
      .sprite-cell, .scale-bar { width: var(--cell-w-small); }
      .sprite-cell { height: var(--cell-h-small); }
    }
    """

    static let source = """
    (function () {
      var root = document.getElementById('explorer'), source = document.getElementById('explorer-data');
      if (!root || !source) { return; }
      var data;
      try { data = JSON.parse(source.textContent); } catch (error) { return; }
      var rows = data.inputs.length;
      if (!rows || !data.layers.length) { return; }

      function make(tag, className, text) {
        var e = document.createElement(tag);
        if (className) { e.className = className; }
        if (text !== undefined) { e.textContent = text; }
        return e;
      }
      // Displayed cell sizes: an integer multiple of the sprite's cells near 96 px (64 px on a
      // phone), so that pixels stay square blocks.
      function cellSize(target) { return Math.max(1, Math.round(target / data.cellWidth)); }
      [['--cell-w', '--cell-h', 96], ['--cell-w-small', '--cell-h-small', 64]].forEach(function (v) {
        root.style.setProperty(v[0], data.cellWidth * cellSize(v[2]) + 'px');
        root.style.setProperty(v[1], data.cellHeight * cellSize(v[2]) + 'px');
      });

      // Each sprite is loaded once to learn whether it is there; a missing one is named.
      var notes = make('div', 'explorer-notes'), missing = {};
      function probe(path) {
        var image = new Image();
        image.onerror = function () {
          if (missing[path]) { return; }
          missing[path] = true;
          notes.appendChild(make('p', 'missing', 'Missing from the report folder: ' + decodeURI(path)));
          show();
        };
        image.src = path;
      }

      function position(index, count) { return count > 1 ? index / (count - 1) * 100 + '%' : '0%'; }
      // One cell of a sprite of `columns` × `rows` cells as a box with the picture's description.
      function cell(sprite, columns, column, row, label, className) {
        var box = make('div', 'sprite-cell' + (className ? ' ' + className : ''));
        box.setAttribute('role', 'img');
        box.setAttribute('aria-label', label);
        box.title = label;
        if (missing[sprite]) {
          box.className += ' absent';
        } else {
          box.style.backgroundImage = 'url("' + sprite + '")';
          box.style.backgroundSize = columns * 100 + '% ' + rows * 100 + '%';
          box.style.backgroundPosition = position(column, columns) + ' ' + position(row, rows);
        }
        return box;
      }
      function captioned(box, caption, extra) {
        var figure = make('figure', 'explorer-cell');
        figure.appendChild(box);
        if (extra) { figure.appendChild(extra); }
        figure.appendChild(make('figcaption', null, caption));
        return figure;
      }

      function chooser(id, text, options) {
        var wrap = make('span', 'chooser'), label = make('label', null, text), select = make('select');
        label.htmlFor = id;
        select.id = id;
        options.forEach(function (option, i) {
          var o = make('option', null, option);
          o.value = String(i);
          select.appendChild(o);
        });
        select.addEventListener('change', show);
        wrap.appendChild(label);
        wrap.appendChild(select);
        return wrap;
      }
      var controls = make('div', 'explorer-controls');
      controls.appendChild(chooser('explorer-layer', 'Layer', data.layers.map(function (l) { return l.label; })));
      controls.appendChild(chooser('explorer-input', 'Input', data.inputs.map(function (i) { return '#' + i; })));
      var view = make('div', 'explorer-view');
      view.tabIndex = 0;
      view.setAttribute('role', 'region');
      view.setAttribute('aria-label', 'Samples of the chosen layer and input. Left and right arrow keys: input; up and down: layer.');
      var title = make('h3', 'explorer-title'), numbers = make('ul', 'explorer-numbers');
      var pictures = make('div', 'explorer-row'), legend = make('p', 'explorer-legend'), pool = make('div', 'explorer-row explorer-pool');
      title.setAttribute('aria-live', 'polite');
      [title, numbers, pictures, legend, pool].forEach(function (e) { view.appendChild(e); });
      var fallback = root.querySelector('.explorer-fallback');
      if (fallback) { fallback.hidden = true; }
      [controls, notes, view].forEach(function (e) { root.appendChild(e); });
      var layerSelect = document.getElementById('explorer-layer'), inputSelect = document.getElementById('explorer-input');

      function show() {
        var layer = data.layers[Number(layerSelect.value)], row = Number(inputSelect.value), input = '#' + data.inputs[row];
        var columns = layer.pool + 2, onSheet = layer.shown[row] || [], name = 'layer ' + layer.label + ', input ' + input;
        title.textContent = layer.label + ', input ' + input;
        numbers.replaceChildren.apply(numbers, layer.numbers.map(function (n) { return make('li', null, n[0] + ': ' + n[1]); }));
        var scale = make('div', 'scale-bar');
        scale.style.backgroundImage = data.scaleGradient;
        scale.setAttribute('role', 'img');
        scale.setAttribute('aria-label', 'colour scale from ' + data.scaleMin + ' to ' + data.scaleMax + ' ΔE');
        pictures.replaceChildren(
          captioned(cell(data.inputSprite, 2, 0, row, 'input ' + input), 'input'),
          captioned(cell(data.inputSprite, 2, 1, row, 'reconstruction of input ' + input), 'reconstruction'),
          captioned(cell(layer.sprite, columns, layer.pool, row, 'MLP output of ' + name), 'MLP'),
          captioned(cell(layer.sprite, columns, layer.pool + 1, row,
                         'variation map of the ' + layer.pool + ' samples of ' + name + ', ΔE from ' + data.scaleMin + ' to ' + data.scaleMax),
                    'variation, ΔE ' + data.scaleMin + '–' + data.scaleMax, scale));
        legend.textContent = 'All ' + layer.pool + ' samples; the ' + onSheet.length + ' on the contact sheet (' + data.selection
          + ' selection) are outlined and marked ★.';
        var cells = [];
        for (var s = 0; s < layer.pool; s++) {
          var shown = onSheet.indexOf(s) >= 0;
          cells.push(captioned(cell(layer.sprite, columns, s, row,
                                    name + ', sample ' + (s + 1) + ' of ' + layer.pool + (shown ? ', on the contact sheet' : ''),
                                    shown ? 'on-sheet' : ''),
                               String(s + 1) + (shown ? ' ★' : '')));
        }
        pool.replaceChildren.apply(pool, cells);
      }

      // Arrow keys on the view step through inputs (left, right) and layers (up, down); on the
      // choosers they do so natively.
      function step(select, by) {
        var next = Number(select.value) + by;
        if (next < 0 || next >= select.options.length) { return false; }
        select.value = String(next);
        show();
        return true;
      }
      view.addEventListener('keydown', function (event) {
        var moves = { ArrowLeft: [inputSelect, -1], ArrowRight: [inputSelect, 1], ArrowUp: [layerSelect, -1], ArrowDown: [layerSelect, 1] };
        var move = moves[event.key];
        if (move && step(move[0], move[1])) { event.preventDefault(); }
      });

      probe(data.inputSprite);
      data.layers.forEach(function (l) { probe(l.sprite); });
      show();
    })();
    """
}
