# A unit without a level.
# expect: Violation shapes:UnitShape-level sh:MinCountConstraintComponent id:unit/kita-division
PREFIX org: <http://www.w3.org/ns/org#>
DELETE DATA { <https://w3id.org/seirei/id/unit/kita-division> org:classification <https://w3id.org/seirei/vocab/unit-level/division> }
