// Where the dashboard lives. The page itself is `/admin` (the admin API has nothing there); everything else
// it serves is under `/admin/ui/`, apart from the JSON API's paths (/admin/moderation, /admin/broadcasts…).
export const DASHBOARD_PATH = '/admin';
export const UI_PATH = '/admin/ui';
