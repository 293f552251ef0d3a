// Page module for /admin-dashboard (docs/web-ui.md). Fills #content from the API.
import { t, el } from './app.js';
