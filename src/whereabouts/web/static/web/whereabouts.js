// The pages' only script: start GOV.UK Frontend and MoJ Frontend. A static file, so that the
// Content Security Policy can forbid inline script.
import { initAll } from "../govuk-frontend/govuk-frontend.min.js";
import { initAll as initMoj } from "../moj-frontend/moj-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();
initMoj();
