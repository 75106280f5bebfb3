// Reads an iCalendar file the way Thunderbird and Nextcloud do (Mozilla's ical.js) and
// prints what they would show, as JSON: one object per event, start and end in UTC.
// Usage: node read_ics.mjs FILE.ics   (ical.js installed under tests/js by .ci/run)
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
// Only the file's own VTIMEZONEs: the zone name alone must not be enough.
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const utc = ICAL.Timezone.utcTimezone;
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  const organizer = component.getFirstProperty("organizer");
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    status: component.getFirstPropertyValue("status"),
    start: event.startDate.convertToZone(utc).toString(),
    end: event.endDate.convertToZone(utc).toString(),
    organizer: organizer ? organizer.getFirstValue() : null,
    attendees: component.getAllProperties("attendee").map((p) => p.getFirstValue()),
  };
});
process.stdout.write(
  JSON.stringify({ name: calendar.getFirstPropertyValue("x-wr-calname"), events }),
);
