// Survey pages: hide a question whose condition rests on an answer on the
// same page while that answer does not match. The server evaluates the
// same conditions, so hidden answers are discarded there too; without
// JavaScript every such question stays visible with its hint.
(function () {
  "use strict";
  var form = document.querySelector(".survey-form");
  if (!form || form.method.toLowerCase() !== "post") { return; }
  var blocks = form.querySelectorAll("[data-condition-question]");
  if (!blocks.length) { return; }

  function values(name) {
    var result = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
      if (input.value !== "") { result.push(input.value); }
    });
    return result;
  }

  function holds(block) {
    var name = block.getAttribute("data-condition-question");
    if (!form.querySelector("[name='" + name + "']")) { return true; }
    var operator = block.getAttribute("data-condition-operator");
    var choice = block.getAttribute("data-condition-choice");
    var number = parseFloat(block.getAttribute("data-condition-number"));
    var chosen = values(name);
    var source = document.getElementById("block-" + name);
    if (source && source.hidden) { return false; }
    if (choice) {
      if (operator === "equals" && form.querySelector("[name='" + name + "'][type=checkbox]")) {
        return chosen.length === 1 && chosen[0] === choice;
      }
      return chosen.indexOf(choice) !== -1;
    }
    if (!chosen.length) { return false; }
    var value = parseFloat(chosen[0]);
    return operator === "gt" ? value > number : value === number;
  }

  function update() {
    blocks.forEach(function (block) { block.hidden = !holds(block); });
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
