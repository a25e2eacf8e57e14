// Filtering, expanding and the evidence for report.html.
// The evidence is a gzip+base64 data block (#evidence-data), decompressed once, the first time a
// scenario's evidence is opened, and rendered for that scenario only. Evidence is hostile input:
// it is only ever put into the page as text (createTextNode/textContent), never parsed as markup.
(function () {
  "use strict";

  var evidence = null; // Promise of {bodies: {id: text}, evidence: {scenarioId: [exchange]}}

  function loadEvidence() {
    if (!evidence) {
      evidence = Promise.resolve().then(function () {
        var data = document.getElementById("evidence-data").textContent.trim();
        var bytes = base64Bytes(data);
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).json();
      });
    }
    return evidence;
  }

  function base64Bytes(text) {
    if (typeof Uint8Array.fromBase64 === "function") {
      return Uint8Array.fromBase64(text);
    }
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  // XML pretty-printed by the harness's hardened parser (lxml): a '"' inside an attribute value is
  // written &quot; and '<' is written &lt;, so these patterns find every tag. The text is split into
  // text nodes and spans; nothing in it is ever interpreted as markup.
  var XML_TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<\/?[A-Za-z_][\w.:-]*(?:\s+[A-Za-z_][\w.:-]*="[^"]*")*\s*\/?>/g;
  var TAG_PARTS = /^(<\/?)([A-Za-z_][\w.:-]*)([\s\S]*?)(\/?>)$/;
  var ATTRIBUTE = /([A-Za-z_][\w.:-]*)=("[^"]*")/g;

  function highlightXml(pre, text) {
    var last = 0;
    var match;
    XML_TOKEN.lastIndex = 0;
    while ((match = XML_TOKEN.exec(text)) !== null) {
      pre.appendChild(document.createTextNode(text.slice(last, match.index)));
      pre.appendChild(xmlToken(match[0]));
      last = XML_TOKEN.lastIndex;
    }
    pre.appendChild(document.createTextNode(text.slice(last)));
  }

  function xmlToken(token) {
    if (token.lastIndexOf("<!--", 0) === 0) {
      return el("span", "x-comment", token);
    }
    if (token.lastIndexOf("<!", 0) === 0) {
      return el("span", "x-cdata", token);
    }
    if (token.lastIndexOf("<?", 0) === 0) {
      return el("span", "x-pi", token);
    }
    var parts = TAG_PARTS.exec(token);
    var tag = el("span", "x-tag");
    tag.appendChild(document.createTextNode(parts[1]));
    tag.appendChild(el("span", "x-name", parts[2]));
    var last = 0;
    var attribute;
    ATTRIBUTE.lastIndex = 0;
    while ((attribute = ATTRIBUTE.exec(parts[3])) !== null) {
      tag.appendChild(document.createTextNode(parts[3].slice(last, attribute.index)));
      tag.appendChild(el("span", "x-attr", attribute[1]));
      tag.appendChild(document.createTextNode("="));
      tag.appendChild(el("span", "x-value", attribute[2]));
      last = ATTRIBUTE.lastIndex;
    }
    tag.appendChild(document.createTextNode(parts[3].slice(last) + parts[4]));
    return tag;
  }

  function textBlock(kind, text) {
    var pre = el("pre", "body body-" + kind);
    if (kind === "xml") {
      highlightXml(pre, text);
    } else {
      pre.textContent = text;
    }
    return pre;
  }

  function decodedPart(part, bodies) {
    var box = el("div", part.fault ? "decoded fault" : "decoded");
    box.appendChild(el("strong", null, part.title));
    box.appendChild(document.createTextNode(" (" + part.where + ")"));
    if (part.problem) {
      box.appendChild(el("p", "problem", part.problem));
    }
    if (part.body_ref) {
      box.appendChild(textBlock(part.kind, bodies[part.body_ref]));
    }
    return box;
  }

  function messagePart(label, message, bodies, shownDecoded) {
    var box = el("div", "message-part " + label.toLowerCase());
    box.appendChild(el("strong", null, label));
    var about = ": " + message.length + " bytes";
    if (message.content_type) {
      about += ", " + message.content_type;
    }
    if (message.truncated) {
      about += ", shortened";
    }
    box.appendChild(document.createTextNode(about));
    if (message.headers.length) {
      var details = el("details", "headers");
      details.appendChild(el("summary", null, message.headers.length + " headers"));
      var table = el("table", "headers");
      message.headers.forEach(function (header) {
        var row = table.insertRow();
        row.insertCell().textContent = header.name;
        row.insertCell().textContent = header.value;
      });
      details.appendChild(table);
      box.appendChild(details);
    }
    if (message.body_ref && shownDecoded[message.body_ref]) {
      box.appendChild(el("p", "same", "Body: shown decoded above."));
    } else if (message.body_ref) {
      box.appendChild(textBlock(message.kind, bodies[message.body_ref]));
    }
    return box;
  }

  function exchangeSection(scenarioId, x, bodies) {
    var section = el("section", "exchange");
    section.id = scenarioId + "." + x.id;
    var heading = el("h4");
    heading.appendChild(el("span", "xid", x.id));
    var status = x.status === null ? "no response" : String(x.status);
    heading.appendChild(document.createTextNode(" " + x.method + " " + x.url + " \u2192 " + status + " "));
    var about = [x.direction];
    if (x.peer) {
      about.push("peer " + x.peer);
    }
    about.push(x.elapsed_ms + " ms", x.started);
    if (x.tags.length) {
      about.push("tags: " + x.tags.join(", "));
    }
    heading.appendChild(el("small", null, "(" + about.join(", ") + ")"));
    section.appendChild(heading);
    if (x.note) {
      section.appendChild(el("p", "problem", x.note));
    }
    var shownDecoded = {};
    x.decoded.forEach(function (part) {
      section.appendChild(decodedPart(part, bodies));
      if (part.body_ref) {
        shownDecoded[part.body_ref] = true;
      }
    });
    section.appendChild(messagePart("Request", x.request, bodies, shownDecoded));
    section.appendChild(messagePart("Response", x.response, bodies, shownDecoded));
    return section;
  }

  // Renders one scenario's evidence into its <details> the first time; resolves when it is shown.
  function renderEvidence(details) {
    if (details.dataset.rendered) {
      return Promise.resolve();
    }
    if (!details.rendering) {
      details.rendering = loadEvidence().then(function (data) {
        var id = details.dataset.scenario;
        var holder = details.querySelector("div.exchanges");
        var fragment = document.createDocumentFragment();
        (data.evidence[id] || []).forEach(function (x) {
          fragment.appendChild(exchangeSection(id, x, data.bodies));
        });
        holder.replaceChildren(fragment);
        details.dataset.rendered = "true";
      }).catch(function (error) {
        details.querySelector("div.exchanges").replaceChildren(
          el("p", "problem", "This browser could not decompress the evidence (" + error +
             "); it is also in results.json."));
        details.dataset.rendered = "failed";
      });
    }
    return details.rendering;
  }

  function scenarios() {
    return Array.prototype.slice.call(document.querySelectorAll("tbody.scenario"));
  }

  function applyFilter() {
    var wanted = {};
    document.querySelectorAll("input.verdict-filter").forEach(function (box) {
      wanted[box.value] = box.checked;
    });
    var area = document.getElementById("area-filter").value;
    var shown = 0;
    scenarios().forEach(function (body) {
      var visible = wanted[body.dataset.verdict] !== false && (area === "" || body.dataset.area === area);
      body.hidden = !visible;
      if (visible) {
        shown += 1;
      }
    });
    document.getElementById("shown-count").textContent = String(shown);
  }

  function resetFilter() {
    document.querySelectorAll("input.verdict-filter").forEach(function (box) {
      box.checked = true;
    });
    document.getElementById("area-filter").value = "";
    applyFilter();
  }

  function setEvidence(open) {
    document.querySelectorAll("tbody.scenario:not([hidden]) details.evidence").forEach(function (d) {
      d.open = open;
    });
  }

  // report.html#SP-X-01 opens that scenario's evidence; #SP-X-01.x2 also scrolls to exchange x2.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var scenario = id ? document.getElementById(id.split(".")[0]) : null;
    if (!scenario || !scenario.matches("tbody.scenario")) {
      return;
    }
    if (scenario.hidden) {
      resetFilter();
    }
    var details = scenario.querySelector("details.evidence");
    if (!details) {
      scenario.scrollIntoView();
      return;
    }
    details.open = true;
    renderEvidence(details).then(function () {
      var target = document.getElementById(id) || scenario;
      target.scrollIntoView();
    });
  }

  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.open && details.matches && details.matches("details.evidence")) {
      renderEvidence(details);
    }
  }, true);
  document.getElementById("filters").hidden = false;
  document.querySelectorAll("input.verdict-filter, #area-filter").forEach(function (control) {
    control.addEventListener("change", applyFilter);
  });
  document.getElementById("reset-filter").addEventListener("click", resetFilter);
  document.getElementById("expand-all").addEventListener("click", function () { setEvidence(true); });
  document.getElementById("collapse-all").addEventListener("click", function () { setEvidence(false); });
  window.addEventListener("hashchange", openTarget);
  applyFilter();
  openTarget();
})();
