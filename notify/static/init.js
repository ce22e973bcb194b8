// Starts GOV.UK Frontend's components (a file, not an inline script: the content security
// policy allows scripts from our own origin only).
import { initAll } from "./govuk-frontend.min.js";

initAll();
