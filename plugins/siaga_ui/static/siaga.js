// Kutim Siaga UI: small progressive enhancements. Everything works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("pilih-semua");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="pilih"]').forEach(function (box) { box.checked = all.checked; });
    });
  }
  // Forms that change something irreversible ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  var bulk = document.getElementById("massal");
  if (bulk) {
    bulk.addEventListener("submit", function (event) {
      var chosen = bulk.querySelectorAll('input[name="pilih"]:checked').length;
      if (chosen === 0) { event.preventDefault(); window.alert("Pilih minimal satu draf."); }
    });
  }
  document.querySelectorAll("a[data-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    });
  });
});
