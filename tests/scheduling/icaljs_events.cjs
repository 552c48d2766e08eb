// Read an iCalendar file with Mozilla's ical.js (the parser Thunderbird uses) and print each
// event's UID with its start and end in UTC, as JSON: node icaljs_events.cjs FILE
const fs = require("fs");
const ICAL = require("ical.js");

const component = new ICAL.Component(ICAL.parse(fs.readFileSync(process.argv[2], "utf8")));
for (const zone of component.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
const events = component.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  const utc = (time) => time.convertToZone(ICAL.Timezone.utcTimezone).toString();
  return { uid: event.uid, start: utc(event.startDate), end: utc(event.endDate) };
});
process.stdout.write(JSON.stringify(events));
