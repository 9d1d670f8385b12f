"""Demo data, stage 1: the care office's medewerkers and letterhead, zorgaanbieders and their
locaties (a heavy tail of provider sizes, DOMAIN.md §11)."""

from __future__ import annotations

from db.models import AppUser, CareOffice, Location, Provider
from desktop.services.demo.base import DemoLocation, DemoProvider
from desktop.services.demo.writer import DemoWriter


class Directory(DemoWriter):
    # -- users ---------------------------------------------------------------------------------
    def make_letterhead(self) -> None:
        """Fictitious letterhead details for the demo care office (only where none are set), so
        the demo's decisions can become definitive letters."""
        office = self.uow.get(CareOffice, self.office_id)
        if office is not None and not office.postal_address:
            self.uow.update(
                office,
                postal_address="Postbus 1000",
                postcode="3700AA",
                place="Zeist",
                phone="088 000 12 34",
                email="zorgkantoor@voorbeeld.nl",
                website="www.voorbeeld.nl",
                kvk_number="12345678",
            )

    def make_users(self) -> None:
        n = self.spec.users
        if n <= 6:
            plan = [
                ["PURCHASER"],
                ["PURCHASER"],
                ["QUALITY_ADVISOR"],
                ["QUALITY_ADVISOR"],
                ["TEAM_LEAD"],
                ["PURCHASER", "TEAM_LEAD"],
            ]
        else:
            plan = (
                [["PURCHASER"]] * 8
                + [["QUALITY_ADVISOR"]] * 6
                + [["TEAM_LEAD"]] * 3
                + [["PURCHASER", "TEAM_LEAD"], ["QUALITY_ADVISOR", "PURCHASER"]]
            )
            plan += [["PURCHASER"]] * (n - len(plan))
        titles = {
            "PURCHASER": "Zorginkoper",
            "QUALITY_ADVISOR": "Kwaliteitsadviseur",
            "TEAM_LEAD": "Teamleider zorginkoop",
        }
        self.purchasers, self.advisors, self.leads = [], [], []
        self.user_roles: dict[str, list[str]] = {}
        self.user_names: dict[str, str] = {}
        initials_used: set[str] = set()
        for roles in plan[:n]:
            female = self.rng.random() < 0.6
            first = self.fake.first_name_female() if female else self.fake.first_name_male()
            last = self.fake.last_name()
            parts = last.split()
            ini = first[0] + "".join(
                p[0].lower() if i < len(parts) - 1 else p[0] for i, p in enumerate(parts)
            )
            base, k = ini, 2
            while ini.casefold() in initials_used:
                ini, k = f"{base}{k}", k + 1
            initials_used.add(ini.casefold())
            uid = self.uid()
            slug = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
            self.put(
                AppUser,
                dict(
                    id=uid,
                    name=f"{first} {last}",
                    initials=ini,
                    email=f"{slug}@zorgkantoor.voorbeeld.nl",
                    function_title=titles[roles[0]],
                    roles=list(roles),
                    care_office_id=self.office_id,
                ),
            )
            self.user_roles[uid] = list(roles)
            self.user_names[uid] = f"{first} {last} ({titles[roles[0]].lower()})"
            if "PURCHASER" in roles:
                self.purchasers.append(uid)
            if "QUALITY_ADVISOR" in roles:
                self.advisors.append(uid)
            if "TEAM_LEAD" in roles:
                self.leads.append(uid)

    # -- providers and locations ----------------------------------------------------------------
    def location_counts(self, n: int) -> list[int]:
        lo, hi = self.spec.big_range
        counts = [self.rng.randint(lo, hi) for _ in range(self.spec.big_providers)]
        for _ in range(n - len(counts)):
            u = self.rng.random()
            counts.append(
                1
                if u < 0.52
                else 2
                if u < 0.74
                else 3
                if u < 0.84
                else 4
                if u < 0.91
                else self.rng.randint(5, 8)
                if u < 0.975
                else self.rng.randint(9, 15)
            )
        # Nudge the tail (never the big providers) to the scale's location total.
        small = list(range(self.spec.big_providers, len(counts)))
        while sum(counts) > self.spec.locations and any(counts[i] > 1 for i in small):
            i = self.pick(small)
            if counts[i] > 1:
                counts[i] -= 1
        while sum(counts) < self.spec.locations:
            counts[self.pick(small)] += 1
        self.rng.shuffle(counts)
        return counts

    def name_root(self) -> str:
        return self.pick(self.txt["name_roots"]) + self.pick(self.txt["name_suffixes"])

    def unique_name(self, patterns: list[str], place: str) -> str:
        return self.unique(lambda: self.fill(self.pick(patterns), place), True)

    def fill(self, pattern: str, place: str) -> str:
        return pattern.format(
            root=self.name_root(), article=self.pick(self.txt["article_names"]), place=place
        )

    def address(self, region_id: str) -> tuple[str, str, str, str]:
        place, first, last = self.pick(self.region_places[region_id])
        letters = "ABCDEFGHJKLMNPRSTVWXZ"
        while True:
            pair = self.pick(list(letters)) + self.pick(list(letters))
            if pair not in {"SA", "SD", "SS"}:
                break
        pc = f"{self.rng.randint(first, last)}{pair}"
        return self.pick(self.places["streets"]), str(self.rng.randint(1, 180)), pc, place

    def person(self) -> tuple[str, str]:
        """(attention_of, salutation) for the letter to the chair of the board."""
        if self.rng.random() < 0.25:
            return "t.a.v. de Raad van Bestuur", "Geachte leden van de Raad van Bestuur,"
        female = self.rng.random() < 0.55
        first = self.fake.first_name_female() if female else self.fake.first_name_male()
        last = self.fake.last_name()
        initials = "".join(f"{p[0]}." for p in first.split())
        title = self.pick(self.txt["titles"])
        form = "mevrouw" if female else "de heer"
        aanhef = "mevrouw" if female else "heer"
        return (
            f"t.a.v. {form} {title}{initials} {last}, voorzitter Raad van Bestuur",
            f"Geachte {aanhef} {last[0].upper()}{last[1:]},",
        )

    def make_directory(self, n: int) -> None:
        self.providers = []
        self.locations = []
        targets = self.txt["target_groups"]
        for count in self.location_counts(n):
            region_id = self.pick(self.region_ids)
            street, number, pc, place = self.address(region_id)
            patterns = self.txt["single_provider_patterns" if count == 1 else "provider_patterns"]
            name = self.unique_name(patterns, place)
            quality = self.rng.gauss(0, 0.7)
            prov = DemoProvider(
                self.uid(),
                name,
                region_id,
                0,
                quality,
                self.pick(self.purchasers),
                self.pick(self.advisors),
            )
            capacities = []
            loc_rows = []
            for _ in range(count):
                # Large providers reach into a neighbouring region now and then.
                lregion = region_id if self.rng.random() < 0.85 else self.pick(self.region_ids)
                lstreet, lnumber, lpc, lplace = self.address(lregion)
                if count == 1:
                    lname = name.replace("Stichting ", "")
                else:
                    lname = self.unique_name(self.txt["location_patterns"], lplace)
                capacity = int(self.rng.triangular(30, 180, 70))
                capacities.append(capacity)
                groups = ["PG", "somatiek"] if self.rng.random() < 0.6 else [self.pick(targets[:2])]
                if self.rng.random() < 0.2:
                    groups.append(self.pick(targets[2:]))
                loc = DemoLocation(
                    self.uid(),
                    prov,
                    lregion,
                    lname,
                    capacity,
                    0.6 * quality + self.rng.gauss(0, 0.6),
                )
                loc_rows.append(
                    dict(
                        id=loc.id,
                        provider_id=prov.id,
                        region_id=lregion,
                        name=lname,
                        street=lstreet,
                        house_number=lnumber,
                        postcode=lpc,
                        place=lplace,
                        agb_code=self.digits(8, "73"),
                        kvk_branch_number=self.digits(12, "0000"),
                        capacity=capacity,
                        target_groups=groups,
                    )
                )
                prov.locations.append(loc)
                self.locations.append(loc)
            # VV4-VV10 production: roughly € 85k per place per year (seed data, S1 §4.2.3).
            prov.turnover = int(sum(capacities) * self.rng.uniform(78_000, 95_000)) // 1000 * 1000
            attention, salutation = self.person()
            self.put(
                Provider,
                dict(
                    id=prov.id,
                    name=name,
                    kvk_number=self.digits(8, str(self.rng.randint(4, 8))),
                    agb_code=self.digits(8, "73"),
                    street=street,
                    house_number=number,
                    postcode=pc,
                    place=place,
                    attention_of=attention,
                    salutation=salutation,
                    annual_turnover=prov.turnover,
                ),
            )
            for row in loc_rows:
                self.put(Location, row)
            self.providers.append(prov)
