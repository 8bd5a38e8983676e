"""Time and peak memory of every loader, per MB of input, at the size of a state.

    python benchmarks/loaders.py              # state-sized inputs (~9,400 schools)
    python benchmarks/loaders.py --schools 900

Each input is written to a temporary folder first; each load runs in a fresh process so
its peak memory is its own. The inputs are shaped like real ones: a state directory CSV
saved from Excel (Windows-1252, guard apostrophes, 1% co-principal rows), a OneRoster 1.2
export of the state's staff, Ed-Fi XML interchanges and Ed-Fi API JSON of the same, and the
mtss_core JSON document of the imported directory.  Prints a Markdown table for
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write_inputs(folder: Path, schools: int) -> dict[str, list[str]]:
    """Write every input; return loader name -> the paths it reads."""
    import random

    rnd = random.Random(0)
    regions, districts = 20, max(1, schools * 1200 // 9400)
    rows = ["ESC Region,County Name,District Number,District Name,Campus Number,"
            "Campus Name,Grade Range,Superintendent,Principal,,"]
    per_district = schools // districts
    staff_per_school = 40
    for s in range(schools):
        d = min(s // per_district, districts - 1)
        region = d % regions + 1
        row = (f"{region},County {d % 254},'{d:06d},District {d} ISD,'{d:06d}{s:03d},"
               f"Campus {s} Élémentaire,PK-05,Supt {d},Principal {s},,")
        rows.append(row)
        if rnd.random() < 0.01:  # a co-principal on a second row
            rows.append(row.replace(f"Principal {s}", f"Co-Principal {s}"))
    (folder / "directory.csv").write_bytes("\r\n".join(rows).encode("cp1252") + b"\r\n")
    (folder / "mapping.toml").write_text(
        'isd_id = "ESC Region"\ndistrict_id = "District Number"\n'
        'district_name = "District Name"\nschool_id = "Campus Number"\n'
        'school_name = "Campus Name"\ngrades = "Grade Range"\n'
        'superintendent = "Superintendent"\nprincipal = "Principal"\n[isd_names]\n'
        + "".join(f'{r} = "Region {r} ESC"\n' for r in range(1, regions + 1)))
    # OneRoster 1.2: the state, its districts and schools, staff with roles
    oneroster = folder / "oneroster"
    oneroster.mkdir()
    orgs = ["sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
            "st,active,2026-08-01,State,state,,"]
    orgs += [f"d{d},active,2026-08-01,District {d},district,{d:06d},st"
             for d in range(districts)]
    orgs += [f"s{s},active,2026-08-01,School {s},school,{s:09d},"
             f"d{min(s // per_district, districts - 1)}" for s in range(schools)]
    (oneroster / "orgs.csv").write_text("\n".join(orgs) + "\n")
    users = ["sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,"
             "familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,"
             "password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,"
             "preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns"]
    roles = ["sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,"
             "endDate,orgSourcedId,userProfileSourcedId"]
    for s in range(schools):
        for k in range(staff_per_school):
            uid = f"u{s}-{k}"
            users.append(f"{uid},active,2026-08-01,true,{uid},,Given{k},Family{s},,,,,,,,,,,,,,"
                         f"s{s},")
            role = "principal" if k == 0 else "counselor" if k == 1 else "teacher"
            roles.append(f"r{uid},active,2026-08-01,{uid},primary,{role},2021-08-20,,s{s},")
    (oneroster / "users.csv").write_text("\n".join(users) + "\n")
    (oneroster / "roles.csv").write_text("\n".join(roles) + "\n")
    # Ed-Fi XML interchanges and API JSON of the same organizations and staff
    ns = 'xmlns="http://ed-fi.org/5.2.0"'
    cat = ("<EducationOrganizationCategory>uri://ed-fi.org/EducationOrganizationCategory"
           "Descriptor#{}</EducationOrganizationCategory>")
    eo = [f"<InterchangeEducationOrganization {ns}>"]
    eo += [f'<LocalEducationAgency id="LEA_{d}"><NameOfInstitution>District {d}'
           f"</NameOfInstitution>{cat.format('Local Education Agency')}"
           f"<LocalEducationAgencyId>{d + 1000}</LocalEducationAgencyId>"
           "<LocalEducationAgencyCategory>uri://ed-fi.org/LocalEducationAgencyCategory"
           "Descriptor#Independent</LocalEducationAgencyCategory></LocalEducationAgency>"
           for d in range(districts)]
    eo += [f"<School><NameOfInstitution>School {s}</NameOfInstitution>"
           f"{cat.format('School')}<SchoolId>{s + 10_000_000}</SchoolId>"
           "<GradeLevel>uri://ed-fi.org/GradeLevelDescriptor#First grade</GradeLevel>"
           f'<LocalEducationAgencyReference ref="LEA_{min(s // per_district, districts - 1)}"'
           "/></School>" for s in range(schools)]
    eo.append("</InterchangeEducationOrganization>")
    (folder / "EducationOrganization.xml").write_text("\n".join(eo))
    sa = [f"<InterchangeStaffAssociation {ns}>"]
    assoc = []
    for s in range(schools):
        for k in range(staff_per_school):
            sid = f"{s}-{k}"
            sa.append(f"<Staff><StaffUniqueId>{sid}</StaffUniqueId><Name><FirstName>G{k}"
                      f"</FirstName><LastSurname>F{s}</LastSurname></Name></Staff>")
            klass = "Principal" if k == 0 else "Teacher"
            assoc.append("<StaffEducationOrganizationAssignmentAssociation><StaffReference>"
                         f"<StaffIdentity><StaffUniqueId>{sid}</StaffUniqueId></StaffIdentity>"
                         "</StaffReference><EducationOrganizationReference>"
                         "<EducationOrganizationIdentity><EducationOrganizationId>"
                         f"{s + 10_000_000}</EducationOrganizationId>"
                         "</EducationOrganizationIdentity></EducationOrganizationReference>"
                         "<StaffClassification>uri://ed-fi.org/StaffClassificationDescriptor#"
                         f"{klass}</StaffClassification><BeginDate>2021-08-20</BeginDate>"
                         "</StaffEducationOrganizationAssignmentAssociation>")
    sa += assoc
    sa.append("</InterchangeStaffAssociation>")
    (folder / "StaffAssociation.xml").write_text("\n".join(sa))
    api = folder / "edfi-api"
    api.mkdir()
    (api / "localEducationAgencies.json").write_text(json.dumps([
        {"localEducationAgencyId": d + 1000, "nameOfInstitution": f"District {d}"}
        for d in range(districts)]))
    (api / "schools.jsonl").write_text("".join(json.dumps(
        {"schoolId": s + 10_000_000, "nameOfInstitution": f"School {s}",
         "localEducationAgencyReference": {
             "localEducationAgencyId": min(s // per_district, districts - 1) + 1000}}) + "\n"
        for s in range(schools)))
    (api / "staffs.jsonl").write_text("".join(json.dumps(
        {"staffUniqueId": f"{s}-{k}", "firstName": f"G{k}", "lastSurname": f"F{s}"}) + "\n"
        for s in range(schools) for k in range(staff_per_school)))
    (api / "staffEducationOrganizationAssignmentAssociations.jsonl").write_text("".join(
        json.dumps({"staffReference": {"staffUniqueId": f"{s}-{k}"},
                    "educationOrganizationReference": {"educationOrganizationId":
                                                       s + 10_000_000},
                    "staffClassificationDescriptor":
                        "uri://ed-fi.org/StaffClassificationDescriptor#Teacher",
                    "beginDate": "2021-08-20"}) + "\n"
        for s in range(schools) for k in range(staff_per_school)))
    return {"directory_csv": [str(folder / "directory.csv"), str(folder / "mapping.toml")],
            "oneroster_csv": [str(oneroster)],
            "edfi_xml": [str(folder / "EducationOrganization.xml"),
                         str(folder / "StaffAssociation.xml")],
            "edfi_api_json": [str(api)],
            "document_json": [str(folder / "document.json")]}


def _size(paths: list[str]) -> int:
    total = 0
    for p in map(Path, paths):
        total += sum(f.stat().st_size for f in p.iterdir()) if p.is_dir() else p.stat().st_size
    return total


def run_one(loader: str, paths: list[str]) -> dict[str, float]:
    """In this (fresh) process: load once, report seconds and peak memory."""
    import mtss_core as mc

    start = time.perf_counter()
    if loader == "directory_csv":
        result = mc.import_directory_csv(paths[0], paths[1], state="State")
        n = len(result.graph)
    elif loader == "oneroster_csv":
        n = len(mc.import_oneroster(paths[0]).graph)
    elif loader == "edfi_xml":
        n = len(mc.import_edfi(*paths).graph)
    elif loader == "edfi_api_json":
        n = len(mc.import_edfi_api(*paths).graph)
    else:
        n = len(mc.load(paths[0]))
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 3), "objects": n,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def _inputs(folder: Path, schools: int) -> dict[str, list[str]]:
    """Write every input (and the document of the imported directory); their paths."""
    import mtss_core as mc

    inputs = write_inputs(folder, schools)
    imported = mc.import_directory_csv(*inputs["directory_csv"], state="State").graph
    mc.dump(imported, inputs["document_json"][0])
    return inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=9400)
    parser.add_argument("--one", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--write", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], args.one[1:])))
        return
    if args.write:
        print(json.dumps(_inputs(Path(args.write), args.schools)))
        return
    # Linux keeps a process's peak memory across fork and exec: every process is started
    # from this one, which stays small (the inputs are written by a child too)
    base = subprocess.run([sys.executable, "-c", "import mtss_core, resource; print("
                           "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"],
                          capture_output=True, text=True, check=True)
    baseline_mb = float(base.stdout)
    with tempfile.TemporaryDirectory() as tmp:
        written = subprocess.run([sys.executable, __file__, "--write", tmp, "--schools",
                                  str(args.schools)], capture_output=True, text=True,
                                 check=True)
        inputs = json.loads(written.stdout)
        rows = []
        for loader, paths in inputs.items():
            out = subprocess.run([sys.executable, __file__, "--one", loader, *paths],
                                 capture_output=True, text=True, check=True)
            rows.append((loader, _size(paths) / 1e6, json.loads(out.stdout)))
    print(f"Python {platform.python_version()} on {platform.machine()}; "
          f"{len(os.sched_getaffinity(0))} cores; {args.schools:,} schools; a bare "
          f"`import mtss_core` process peaks at {baseline_mb:.0f} MB\n")
    print("| loader | input MB | objects | seconds | s per MB | peak MB | "
          "peak MB above import, per MB of input |")
    print("|---|---|---|---|---|---|---|")
    for loader, mb, got in rows:
        print(f"| {loader} | {mb:.1f} | {got['objects']:,} | {got['seconds']} | "
              f"{got['seconds'] / mb:.3f} | {got['peak_rss_mb']} | "
              f"{(got['peak_rss_mb'] - baseline_mb) / mb:.1f} |")


if __name__ == "__main__":
    main()
