// Shared by the répertoire browser checks: the one static server and
// headless chromium of the browser tests (serve-lib.mjs).
export { serve, browser } from "./serve-lib.mjs";
