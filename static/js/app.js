// Behaviour shared by every page. Kept out of the templates so pages need no inline script.
"use strict";
