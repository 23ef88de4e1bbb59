// cordiale dashboard: the little the server cannot do. Written by hand, no library, no
// network beyond this server. Text from the server or the user is only ever set with
// textContent or as a form value, never parsed as HTML.
(function () {
  "use strict";
  var TOKEN = "cordiale-token", REVIEWER = "cordiale-reviewer";

  function store(key, value) {
    try {
      if (value === undefined) return window.sessionStorage.getItem(key) || "";
      if (value) window.sessionStorage.setItem(key, value);
      else window.sessionStorage.removeItem(key);
    } catch (e) { /* storage refused: the token lives as long as the page */ }
    return value || "";
  }

  function say(el, text, kind) {
    if (!el) return;
    el.textContent = text;
    el.className = el.className.replace(/\s*(ok|error)\b/g, "") + (kind ? " " + kind : "");
  }

  // -- the analyst's token, kept for this browser tab only
  function tokenBox() {
    var form = document.getElementById("token-form");
    if (!form) return;
    var input = document.getElementById("token-input");
    var state = document.getElementById("token-state");
    say(state, store(TOKEN) ? "kept" : "");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      store(TOKEN, input.value.trim());
      input.value = "";
      say(state, store(TOKEN) ? "kept" : "cleared");
    });
  }

  // -- reviews: post to the API, then show the dyad's counts as the API now gives them
  function getJSON(url) {
    return fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json().then(function (body) { return [r.status, body]; }); });
  }

  function refreshCounts() {
    var box = document.getElementById("dyad-counts");
    if (!box) return Promise.resolve();
    var a = box.getAttribute("data-a"), b = box.getAttribute("data-b");
    var ask = function (s, t) {
      return getJSON("/api/events?limit=1&dyad=" + encodeURIComponent(s + "," + t));
    };
    return Promise.all([ask(a, b), ask(b, a)]).then(function (answers) {
      var total = 0, rejected = 0;
      answers.forEach(function (pair) {
        if (pair[0] !== 200) throw new Error("the API answered " + pair[0]);
        total += pair[1].total || 0;
        rejected += pair[1].rejected_left_out || 0;
      });
      var t = box.querySelector(".dyad-total"), r = box.querySelector(".dyad-rejected");
      t.setAttribute("data-count", String(total));
      t.textContent = total.toLocaleString("en");
      r.setAttribute("data-count", String(rejected));
      r.textContent = rejected.toLocaleString("en");
    });
  }

  function reviewForm() {
    var form = document.getElementById("review-form");
    if (!form) return;
    var status = document.getElementById("review-status");
    var reviewer = document.getElementById("reviewer");
    reviewer.value = store(REVIEWER);
    var buttons = form.querySelectorAll(".verdict-button");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var token = store(TOKEN);
        if (!token) { say(status, "Enter the analyst token at the top of the page first.", "error"); return; }
        var name = reviewer.value.trim();
        if (!name) { say(status, "Enter your name: every review says who made it.", "error"); return; }
        store(REVIEWER, name);
        var body = {event_id: form.getAttribute("data-event"),
                    verdict: button.getAttribute("data-verdict"), reviewer: name};
        if (body.verdict === "corrected") {
          ["cameo_code", "source_country", "target_country", "note"].forEach(function (k) {
            var v = form.elements[k].value.trim();
            if (v) body[k] = v;
          });
        } else if (form.elements.note.value.trim()) {
          body.note = form.elements.note.value.trim();
        }
        say(status, "Saving…");
        fetch("/api/reviews", {
          method: "POST", credentials: "same-origin",
          headers: {"Content-Type": "application/json", "Authorization": "Bearer " + token},
          body: JSON.stringify(body)
        }).then(function (r) {
          return r.json().then(function (answer) { return [r.status, answer]; });
        }).then(function (pair) {
          if (pair[0] !== 201) {
            var err = (pair[1] && pair[1].error) || {};
            throw new Error((err.parameter ? err.parameter + ": " : "") + (err.message || ("status " + pair[0])));
          }
          var verdict = document.getElementById("latest-verdict");
          if (verdict) verdict.textContent = pair[1].verdict;
          return refreshCounts().then(function () {
            say(status, "Saved: " + pair[1].verdict + ". The dyad's counts above are the API's, after the review.", "ok");
            document.body.setAttribute("data-reviewed", pair[1].verdict);
          });
        }).catch(function (e) { say(status, "Not saved: " + e.message, "error"); });
      });
    });
  }

  // -- blocs: the period slider follows its value; the map's countries open their dyad
  function periodSlider() {
    var slider = document.getElementById("period-slider");
    if (!slider) return;
    var periods = (slider.getAttribute("data-periods") || "").split(",");
    var label = document.getElementById("period-label");
    var input = document.getElementById("period-input");
    slider.addEventListener("input", function () {
      label.textContent = periods[Number(slider.value)] || "";
    });
    slider.addEventListener("change", function () {
      input.value = periods[Number(slider.value)] || "";
      document.getElementById("period-form").submit();
    });
  }

  function mapLinks() {
    var focus = document.body.getAttribute("data-focus");
    if (!focus) return;
    var shapes = document.querySelectorAll("svg.world-map .country[data-code]");
    Array.prototype.forEach.call(shapes, function (shape) {
      var code = shape.getAttribute("data-code");
      if (!/^[A-Z]{3}$/.test(code) || code === focus) return;
      shape.classList.add("clickable");
      shape.addEventListener("click", function () {
        window.location.href = "/dyad/" + encodeURIComponent(focus) + "/" + encodeURIComponent(code);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    tokenBox(); reviewForm(); periodSlider(); mapLinks();
  });
})();
