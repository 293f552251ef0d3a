// Page module for /home (docs/web-ui.md). Fills #content from the API.
import { t, el } from './app.js';
