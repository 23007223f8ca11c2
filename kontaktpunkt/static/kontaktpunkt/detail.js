// Case detail: with JavaScript (and htmx) the person list follows the chosen unit by itself, so the
// button that reloads it without JavaScript is hidden. Everything works without this file.
document.documentElement.classList.add("js");
