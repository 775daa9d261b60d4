from django.db import migrations

NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def seed(apps, schema_editor):
    from chinese_calendar import constants

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    rows = [CalendarDay(date=d, committee=None, is_workday=False, name=NAMES.get(str(n), str(n)))
            for d, n in constants.holidays.items()]
    rows += [CalendarDay(date=d, committee=None, is_workday=True, name=NAMES.get(str(n), str(n)))
             for d, n in constants.workdays.items()]
    CalendarDay.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    for year in sorted({d.year for d in constants.holidays}):
        CalendarYear.objects.get_or_create(
            year=year, defaults={"source": "chinese-calendar (State Council notices)"})


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
