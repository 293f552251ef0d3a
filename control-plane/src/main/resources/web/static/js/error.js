// The 403/404 page has nothing to load; importing app.js sets the layout up.
import './app.js';
