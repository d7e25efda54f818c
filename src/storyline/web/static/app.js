// storyline: scroll to and highlight the sentence a link points at (#s-START), on load and on hash change.
(function () {
  "use strict";
  function target() {
    var m = /^#s-(\d+)$/.exec(window.location.hash);
    if (!m) { return null; }
    var el = document.getElementById("s-" + m[1]);
    if (el) { return el; }
    // an offset inside a sentence rather than its start: the sentence that holds it
    var at = parseInt(m[1], 10), spans = document.querySelectorAll(".body .s");
    for (var i = 0; i < spans.length; i++) {
      var s = parseInt(spans[i].getAttribute("data-start"), 10), e = parseInt(spans[i].getAttribute("data-end"), 10);
      if (s <= at && at < e) { return spans[i]; }
    }
    return null;
  }
  function highlight() {
    var old = document.querySelectorAll(".s.hl");
    for (var i = 0; i < old.length; i++) { old[i].classList.remove("hl"); }
    var el = target();
    if (!el) { return; }
    el.classList.add("hl");
    el.setAttribute("tabindex", "-1");
    el.scrollIntoView({block: "center"});
    el.focus({preventScroll: true});
  }
  window.addEventListener("hashchange", highlight);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", highlight);
  } else {
    highlight();
  }
}());
