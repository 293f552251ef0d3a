// Page module for /admin-settings (docs/web-ui.md). Fills #content from the API.
import { t, el } from './app.js';
